import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig } from '@crm/platform';
import { ProjectionRuntime, ReadApiModule } from '@crm/read-api';
import { StreamEventsController } from './stream-events/stream-events.controller';
import { TimeTravelController } from './time-travel/time-travel.controller';
import { TimeTravelQueries } from './time-travel/time-travel.queries';
import { WhatIfController } from './what-if/what-if.controller';

/**
 * The analyst's side: replay of the log, time travel and what-if scoring.
 * Needs APP_CONFIG, CLOCK and EVENT_STORE from the core module. It reads the
 * event log, and of the read models only the idic projection's rank
 * counters (time-travel scores at the start of a day); it never writes them.
 */
@Module({
  imports: [ReadApiModule],
  controllers: [StreamEventsController, TimeTravelController, WhatIfController],
  providers: [
    {
      provide: TimeTravelQueries,
      inject: [EVENT_STORE, APP_CONFIG, ProjectionRuntime],
      useFactory: (events: EventStore, config: AppConfig, runtime: ProjectionRuntime) =>
        new TimeTravelQueries(events, {
          churnWindowDays: config.projections.churnWindowDays,
          readModels: runtime.readModels,
        }),
    },
  ],
})
export class AnalyticsModule {}
