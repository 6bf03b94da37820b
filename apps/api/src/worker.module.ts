import { type DynamicModule, Module } from '@nestjs/common';
import { AutomationsModule } from '@crm/automations';
import { type AppConfig, ObservabilityModule } from '@crm/platform';
import { ProjectionsModule } from '@crm/projections/runtime';
import { KafkaTransportModule, readKafkaConfig } from '@crm/transport-kafka';
import { WebhooksModule } from '@crm/webhooks';
import { CoreModule } from './core.module';
import { WorkerProbes } from './worker-probes';

/** `relay`, `projector`, `webhooks` and `automations` run as workers (WorkerModule); `all` and `api` serve the API (AppModule). */
export function isWorkerMode(config: AppConfig): boolean {
  return config.runMode !== 'all' && config.runMode !== 'api';
}

/**
 * A process without the API: `relay` (store → Kafka), `projector` (the
 * projections, fed by Kafka's consumer group or, with the direct transport,
 * by the store's log), `webhooks` (the deliveries to webhook
 * subscriptions, following the store's log) or `automations` (the reactors,
 * following the store's log). It serves only its health and
 * metrics (WorkerProbes) on HOST:PORT.
 */
@Module({})
export class WorkerModule {
  static forConfig(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const imports: DynamicModule['imports'] = [CoreModule.forRoot(config), ObservabilityModule];
    if (config.runMode === 'webhooks') {
      imports.push(WebhooksModule.forRoot({ routes: false, deliver: true }));
    } else if (config.runMode === 'automations') {
      // The config refuses RUN_MODE=automations with AUTOMATIONS=off.
      imports.push(AutomationsModule.forRoot({ routes: false, run: true }));
    } else if (config.runMode === 'relay') {
      imports.push(
        KafkaTransportModule.forRoot(readKafkaConfig(env, { readStore: config.readStore.kind }), {
          relay: true,
          projector: false,
          reads: false,
        }),
      );
    } else if (config.transport.kind === 'kafka') {
      const transport = KafkaTransportModule.forRoot(
        readKafkaConfig(env, { readStore: config.readStore.kind }),
        {
          relay: false,
          projector: true,
          reads: true,
        },
      );
      imports.push(ProjectionsModule.forRoot({ transport }));
    } else {
      imports.push(ProjectionsModule.forRoot());
    }
    return { module: WorkerModule, imports, providers: [WorkerProbes] };
  }
}
