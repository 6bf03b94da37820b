import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '@crm/admin';
import { AnalyticsModule } from '@crm/analytics';
import { AutomationsModule } from '@crm/automations';
import { IngestionModule } from '@crm/ingestion';
import { PrivacyModule } from '@crm/privacy';
import { ProjectionsModule } from '@crm/projections/runtime';
import { ReadApiModule } from '@crm/read-api';
import { type AppConfig, AuthModule, ObservabilityModule, runsAutomations } from '@crm/platform';
import { KafkaTransportModule, readKafkaConfig } from '@crm/transport-kafka';
import { deliversWebhooks, WebhooksModule } from '@crm/webhooks';
import { CoreModule } from './core.module';
import { projectionWorker } from './projection-worker';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    // With Kafka, `all` runs the relay and the projection consumers beside the API; `api` runs
    // neither, and its reads follow what the consumers commit to the read store.
    const all = config.runMode === 'all';
    const transport =
      config.transport.kind === 'kafka'
        ? KafkaTransportModule.forRoot(readKafkaConfig(env, { readStore: config.readStore.kind }), {
            relay: all,
            projector: all,
            reads: true,
          })
        : undefined;
    const imports: DynamicModule['imports'] = [
      CoreModule.forRoot(config),
      ObservabilityModule,
      AuthModule.forRoot(config),
      ProjectionsModule.forRoot({ transport, worker: projectionWorker(config, env) }),
      IngestionModule,
      ReadApiModule,
      PrivacyModule,
      AdminModule,
      AnalyticsModule,
      WebhooksModule.forRoot({ routes: true, deliver: deliversWebhooks(config) }),
      AutomationsModule.forRoot({ routes: true, run: runsAutomations(config) }),
    ];
    return { module: AppModule, imports };
  }
}
