import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import { MasterKeyring } from '@crm/privacy/encryption';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { WebhookAdmin } from './webhook-admin';
import { WebhookDelivery } from './webhook-delivery';
import { WebhookObservability } from './webhook-observability';
import { WebhookStore } from './webhook-store';
import { WebhooksController } from './webhooks.controller';

export type WebhooksOptions = {
  /** Serve the admin routes (the API's run modes). */
  readonly routes: boolean;
  /** Run the delivery workers (RUN_MODE all or webhooks). */
  readonly deliver: boolean;
};

/**
 * Webhooks (docs/webhooks.md): subscriptions administered over
 * /admin/webhooks, and delivered by the process that runs the delivery.
 * Needs the core module's stores, keyring, cipher, config and clock.
 */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksOptions): DynamicModule {
    const providers: Provider[] = [
      {
        provide: WebhookStore,
        inject: [READ_STORE],
        useFactory: (store: ReadStore) => new WebhookStore(store),
      },
      {
        provide: WebhookAdmin,
        inject: [WebhookStore, EVENT_STORE, MasterKeyring, APP_CONFIG, CLOCK],
        useFactory: (
          store: WebhookStore,
          events: EventStore,
          keyring: MasterKeyring,
          config: AppConfig,
          clock: Clock,
        ) =>
          new WebhookAdmin(store, events, keyring, {
            allowInsecureTargets: config.webhooks.allowInsecureTargets,
            now: () => clock.now(),
          }),
      },
      WebhookObservability,
    ];
    if (options.deliver) providers.push(WebhookDelivery);
    return {
      module: WebhooksModule,
      controllers: options.routes ? [WebhooksController] : [],
      providers,
      exports: options.deliver ? [WebhookDelivery, WebhookAdmin] : [WebhookAdmin],
    };
  }
}

/** Whether this process delivers webhooks: the embedded all-in-one and the webhooks process. */
export function deliversWebhooks(config: AppConfig): boolean {
  return config.runMode === 'all' || config.runMode === 'webhooks';
}
