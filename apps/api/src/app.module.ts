import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '@crm/admin';
import { AnalyticsModule } from '@crm/analytics';
import { IngestionModule } from '@crm/ingestion';
import { PrivacyModule } from '@crm/privacy';
import { ReadApiModule } from '@crm/read-api';
import { type AppConfig, AuthModule, ObservabilityModule } from '@crm/platform';
import { readKafkaConfig } from '@crm/transport-kafka';
import { CoreModule } from './core.module';
import { KafkaTransportModule } from './transport/kafka-transport.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const imports: DynamicModule['imports'] = [
      CoreModule.forRoot(config),
      ObservabilityModule,
      AuthModule.forRoot(config),
      IngestionModule,
      ReadApiModule,
      PrivacyModule,
      AdminModule,
      AnalyticsModule,
    ];
    // All in one process with Kafka: the relay and the projection consumers run beside the API.
    if (config.runMode === 'all' && config.transport.kind === 'kafka') {
      imports.push(KafkaTransportModule.forRoot(readKafkaConfig(env), { relay: true, projector: true }));
    }
    return { module: AppModule, imports };
  }
}
