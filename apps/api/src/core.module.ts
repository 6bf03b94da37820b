import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore, SqliteEventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, systemClock } from '@crm/platform';

/** The configured engines and shared services, chosen once at boot. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: EVENT_STORE,
          useFactory: () =>
            SqliteEventStore.open({
              file: config.eventStore.file,
              writerThread: config.eventStore.writerThread,
            }),
        },
      ],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
