import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, instrumentEventStore, Metrics, systemClock } from '@crm/platform';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { openEventStore, openReadStore } from './engines';

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
          useFactory: async (metrics: Metrics) => instrumentEventStore(await openEventStore(config), metrics),
        },
        { provide: READ_STORE, useFactory: () => openReadStore(config) },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, READ_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.store.close(), this.readStore.close()]);
  }
}
