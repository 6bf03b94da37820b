import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore, SqliteEventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, instrumentEventStore, Metrics, systemClock } from '@crm/platform';
import { READ_STORE, type ReadStore, SqliteReadStore } from '@crm/read-store';

/** The configured engines and shared services, chosen once at boot. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: EVENT_STORE,
          inject: [Metrics],
          useFactory: async (metrics: Metrics) =>
            instrumentEventStore(
              await SqliteEventStore.open({
                file: config.eventStore.file,
                writerThread: config.eventStore.writerThread,
              }),
              metrics,
            ),
        },
        {
          provide: READ_STORE,
          // Read models are rebuildable from the log and their checkpoint commits with them, so a
          // power cut can only lose the last batches, which the runner then re-applies: no fsync needed.
          useFactory: () => SqliteReadStore.open({ file: config.readStore.file, synchronous: 'normal' }),
        },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, READ_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.store.close(), this.readStore.close()]);
  }
}
