import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import { CustomerSegments, JourneyQueries, KpiQueries, ScoresQueries } from '@crm/projections';
import { ProjectionRuntime } from '@crm/projections/runtime';
import type { ReadStore } from '@crm/read-store';
import { GetCustomerJourneyController } from './get-customer-journey/get-customer-journey.controller';
import { GetCustomerScoresController } from './get-customer-scores/get-customer-scores.controller';
import { GetKpisController } from './get-kpis/get-kpis.controller';
import { ListCustomersController } from './list-customers/list-customers.controller';

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
 * The read routes: journey, scores, segments and KPIs over the read models,
 * each waiting for `minPosition` (read-your-writes) first. Needs APP_CONFIG,
 * CLOCK and EVENT_STORE from the core module, and ProjectionRuntime and
 * READ_POSITIONS from the global ProjectionsModule (libs/projections/src/runtime).
 */
@Module({
  controllers: [
    GetCustomerJourneyController,
    GetCustomerScoresController,
    ListCustomersController,
    GetKpisController,
  ],
  providers: [
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
          // Only where one position says what is applied (the direct transport); a Kafka
          // partition may apply events while the slowest one's position stays the same.
          position: config.transport.kind === 'direct' ? () => runtime.position() : undefined,
        }),
    },
  ],
  exports: [KpiQueries],
})
export class ReadApiModule {}
