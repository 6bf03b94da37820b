import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, instrumentEventStore, Metrics, systemClock } from '@crm/platform';
import { KEY_STORE, type KeyStore, PRIVACY_EXPORTS, privacyProviders } from '@crm/privacy';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { openEventStore, openReadStore } from './engines';

/** The configured engines and shared services, chosen once at boot. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          // As written to the engine: personal fields encrypted (the Kafka relay publishes this form).
          // EVENT_STORE (privacyProviders) is the decrypting decorator over it.
          provide: RAW_EVENT_STORE,
          inject: [Metrics],
          useFactory: async (metrics: Metrics) => instrumentEventStore(await openEventStore(config), metrics),
        },
        ...privacyProviders(),
        { provide: READ_STORE, useFactory: () => openReadStore(config) },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, RAW_EVENT_STORE, READ_STORE, ...PRIVACY_EXPORTS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing EVENT_STORE closes the raw store under it.
    await Promise.all([this.store.close(), this.readStore.close(), this.keyStore.close()]);
  }
}
