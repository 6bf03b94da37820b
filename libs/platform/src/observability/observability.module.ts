import { Global, Logger, Module } from '@nestjs/common';
import { EngineReadiness } from './health/engine-readiness';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';

/**
 * Health and metrics: `GET /health/live`, `GET /health/ready`, `GET /metrics`.
 * Exports the metrics registry and the readiness checks, so any module can
 * add its own. Needs EVENT_STORE and READ_STORE from the core module.
 */
@Global()
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    { provide: Metrics, useFactory: () => new Metrics() },
    {
      provide: ReadinessChecks,
      useFactory: () => {
        const logger = new Logger('Health');
        return new ReadinessChecks((name, error) =>
          logger.warn(
            `Readiness check ${name} is down: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      },
    },
    EngineReadiness,
  ],
  exports: [Metrics, ReadinessChecks],
})
export class ObservabilityModule {}
