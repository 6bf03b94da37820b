import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import { KpiQueries, PortfolioQueries, slicedReads } from '@crm/projections';
import { ProjectionRuntime } from '@crm/projections/runtime';
import { ReadApiModule } from '@crm/read-api';
import { CohortsController } from './cohorts/cohorts.controller';
import { CustomerChangesController } from './event-feed/customer-changes.controller';
import { EventFeedController } from './event-feed/event-feed.controller';
import { FeedHub } from './event-feed/feed-hub';
import { PredictedValueController } from './predicted-value/predicted-value.controller';
import { PredictedValueFits } from './predicted-value/predicted-value.fits';
import { StreamEventsController } from './stream-events/stream-events.controller';
import { TimeTravelController } from './time-travel/time-travel.controller';
import { replayBudgetOf } from './time-travel/replay-budget';
import { TimeTravelQueries } from './time-travel/time-travel.queries';
import { WhatIfController } from './what-if/what-if.controller';

/**
 * The analyst's side: replay of the log, time travel and what-if scoring.
 * Needs APP_CONFIG, CLOCK and EVENT_STORE from the core module, and the
 * ProjectionRuntime (its read models) from the global ProjectionsModule. It reads the
 * event log, and the KPI and IDIC rank counters of the read side for time
 * travel on whole days; it never writes a read model.
 */
@Module({
  imports: [ReadApiModule],
  controllers: [
    StreamEventsController,
    EventFeedController,
    CustomerChangesController,
    TimeTravelController,
    WhatIfController,
    CohortsController,
    PredictedValueController,
  ],
  providers: [
    FeedHub,
    {
      provide: PredictedValueFits,
      inject: [ProjectionRuntime, PortfolioQueries, CLOCK],
      useFactory: (runtime: ProjectionRuntime, portfolio: PortfolioQueries, clock: Clock) =>
        new PredictedValueFits(runtime.readModels, portfolio, {
          position: () => runtime.position(),
          now: () => clock.now(),
        }),
    },
    {
      provide: TimeTravelQueries,
      inject: [EVENT_STORE, APP_CONFIG, KpiQueries, ProjectionRuntime],
      useFactory: (events: EventStore, config: AppConfig, kpis: KpiQueries, runtime: ProjectionRuntime) =>
        new TimeTravelQueries(
          events,
          {
            churnWindowDays: config.projections.churnWindowDays,
            replayBudget: replayBudgetOf(config),
            readModels: slicedReads(runtime.readModels),
          },
          kpis,
        ),
    },
  ],
})
export class AnalyticsModule {}
