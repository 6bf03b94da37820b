import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore, RAW_EVENT_STORE, SqliteEventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, systemClock } from '@crm/platform';
import { KEY_STORE, type KeyStore, PRIVACY_EXPORTS, privacyProviders } from '@crm/privacy';
import { READ_STORE, type ReadStore, SqliteReadStore } from '@crm/read-store';

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
          // As written to disk: personal fields encrypted. EVENT_STORE (privacyProviders) decrypts.
          provide: RAW_EVENT_STORE,
          useFactory: () =>
            SqliteEventStore.open({
              file: config.eventStore.file,
              writerThread: config.eventStore.writerThread,
            }),
        },
        ...privacyProviders(),
        {
          provide: READ_STORE,
          // Read models are rebuildable from the log and their checkpoint commits with them, so a
          // power cut can only lose the last batches, which the runner then re-applies: no fsync needed.
          useFactory: () => SqliteReadStore.open({ file: config.readStore.file, synchronous: 'normal' }),
        },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, RAW_EVENT_STORE, READ_STORE, ...PRIVACY_EXPORTS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing EVENT_STORE closes the raw store under it.
    await Promise.all([this.store.close(), this.readStore.close(), this.keyStore.close()]);
  }
}
