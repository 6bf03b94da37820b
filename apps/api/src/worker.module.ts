import { type DynamicModule, Module } from '@nestjs/common';
import { ReadApiModule } from '@crm/read-api';
import { type AppConfig, ObservabilityModule } from '@crm/platform';
import { readKafkaConfig } from '@crm/transport-kafka';
import { CoreModule } from './core.module';
import { KafkaTransportModule } from './transport/kafka-transport.module';

/**
 * A process without HTTP: `relay` (store → Kafka) or `projector` (Kafka
 * consumer, or with the direct transport a runner on the store's log).
 */
@Module({})
export class WorkerModule {
  static forConfig(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const core = CoreModule.forRoot(config);
    const shared = [core, ObservabilityModule];
    if (config.transport.kind === 'kafka') {
      const parts = { relay: config.runMode === 'relay', projector: config.runMode === 'projector' };
      return {
        module: WorkerModule,
        imports: [...shared, KafkaTransportModule.forRoot(readKafkaConfig(env), parts)],
      };
    }
    // Direct transport: the projection runtime follows the store's global log.
    return { module: WorkerModule, imports: [...shared, ReadApiModule] };
  }
}
