import { type DynamicModule, Module } from '@nestjs/common';
import { ReadApiModule } from '@crm/read-api';
import { type AppConfig, ObservabilityModule } from '@crm/platform';
import { readKafkaConfig } from '@crm/transport-kafka';
import { CoreModule } from './core.module';
import { KafkaTransportModule } from './transport/kafka-transport.module';
import { WorkerProbes } from './worker-probes';

/** `relay` and `projector` run as workers (WorkerModule); `all` and `api` serve the API (AppModule). */
export function isWorkerMode(config: AppConfig): boolean {
  return config.runMode === 'relay' || config.runMode === 'projector';
}

/**
 * A process without the API: `relay` (store → Kafka) or `projector` (Kafka
 * consumer, or with the direct transport a runner on the store's log). It
 * serves only its health and metrics (WorkerProbes) on HOST:PORT.
 */
@Module({})
export class WorkerModule {
  static forConfig(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const shared = [CoreModule.forRoot(config), ObservabilityModule];
    const providers = [WorkerProbes];
    if (config.transport.kind === 'kafka') {
      const parts = { relay: config.runMode === 'relay', projector: config.runMode === 'projector' };
      return {
        module: WorkerModule,
        imports: [...shared, KafkaTransportModule.forRoot(readKafkaConfig(env), parts)],
        providers,
      };
    }
    // Direct transport: the projection runtime follows the store's global log.
    return { module: WorkerModule, imports: [...shared, ReadApiModule], providers };
  }
}
