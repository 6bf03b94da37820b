import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import {
  customerProjections,
  CustomerSegments,
  JourneyQueries,
  KpiQueries,
  ScoresQueries,
} from '@crm/projections';
import type { ReadStore } from '@crm/read-store';
import { GetCustomerJourneyController } from './get-customer-journey/get-customer-journey.controller';
import { GetCustomerScoresController } from './get-customer-scores/get-customer-scores.controller';
import { GetKpisController } from './get-kpis/get-kpis.controller';
import { ListCustomersController } from './list-customers/list-customers.controller';
import { ProjectionObservability } from './projection-runtime/projection-observability';
import { PROJECTIONS, ProjectionRuntime } from './projection-runtime/projection-runtime';

type QueryService = new (store: ReadStore, options: { churnWindowDays: number; now: () => Date }) => unknown;

function queryProvider(service: QueryService) {
  return {
    provide: service,
    inject: [ProjectionRuntime, APP_CONFIG, CLOCK],
    // Reads resolve each collection to the active version of its projection.
    useFactory: (runtime: ProjectionRuntime, config: AppConfig, clock: Clock) =>
      new service(runtime.readModels, {
        churnWindowDays: config.projections.churnWindowDays,
        now: () => clock.now(),
      }),
  };
}

/** The journey also reads the customer's stream: its timeline is not a stored read model. */
const journeyQueries = {
  provide: JourneyQueries,
  inject: [ProjectionRuntime, EVENT_STORE, APP_CONFIG, CLOCK],
  useFactory: (runtime: ProjectionRuntime, events: EventStore, config: AppConfig, clock: Clock) =>
    new JourneyQueries(runtime.readModels, events, {
      churnWindowDays: config.projections.churnWindowDays,
      now: () => clock.now(),
    }),
};

/**
 * The read side: projection runners (in this process in embedded mode) and
 * the query routes over their read models. Needs APP_CONFIG, CLOCK,
 * EVENT_STORE and READ_STORE from the application's core module.
 */
@Module({
  controllers: [
    GetCustomerJourneyController,
    GetCustomerScoresController,
    ListCustomersController,
    GetKpisController,
  ],
  providers: [
    {
      provide: PROJECTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => customerProjections(config.projections.churnWindowDays),
    },
    ProjectionRuntime,
    ProjectionObservability,
    journeyQueries,
    queryProvider(ScoresQueries),
    queryProvider(CustomerSegments),
    {
      provide: KpiQueries,
      inject: [ProjectionRuntime, APP_CONFIG, CLOCK],
      useFactory: (runtime: ProjectionRuntime, config: AppConfig, clock: Clock) =>
        new KpiQueries(runtime.readModels, {
          churnWindowDays: config.projections.churnWindowDays,
          now: () => clock.now(),
          // Reports are kept per position: asked again before an event is applied, they are not recomputed.
          // Only where this process knows the position (the direct transport follows it; Kafka's does not yet).
          position: config.transport.kind === 'direct' ? () => runtime.position() : undefined,
        }),
    },
  ],
  exports: [ProjectionRuntime, KpiQueries],
})
export class ReadApiModule {}
