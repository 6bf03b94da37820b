import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import {
  BLIND_INDEX_KEY,
  BlindIndex,
  CampaignQueries,
  CustomerProfiles,
  CustomerSegments,
  FollowUpQueries,
  JourneyQueries,
  KpiQueries,
  PortfolioQueries,
  ScoresQueries,
  slicedReads,
} from '@crm/projections';
import { ProjectionRuntime } from '@crm/projections/runtime';
import type { ReadStore } from '@crm/read-store';
import { GetCustomerJourneyController } from './get-customer-journey/get-customer-journey.controller';
import { GetCustomerProfileController } from './get-customer-profile/get-customer-profile.controller';
import { GetCustomerScoresController } from './get-customer-scores/get-customer-scores.controller';
import { GetKpisController } from './get-kpis/get-kpis.controller';
import { FindDuplicatesController } from './find-duplicates/find-duplicates.controller';
import { ListCustomersController } from './list-customers/list-customers.controller';
import { ListFollowUpsController } from './list-follow-ups/list-follow-ups.controller';
import { ListCampaignsController } from './list-campaigns/list-campaigns.controller';
import { GetCampaignController } from './get-campaign/get-campaign.controller';
import { ExportCampaignAudienceController } from './export-campaign-audience/export-campaign-audience.controller';

type QueryOptions = { churnWindowDays: number; now: () => Date; position?: () => number };
type QueryService = new (store: ReadStore, options: QueryOptions) => unknown;

/**
 * A query service over the read models as the routes read them: each
 * collection resolved to the active version of its projection, in slices.
 * `byPosition`: the service keeps answers per log position (KPI reports,
 * value-tier bounds): asked again before an event is applied, they are not
 * read again. Only where one position says what is applied (the direct
 * transport); a Kafka partition may apply events while the slowest one's
 * position stays the same.
 */
function queryProvider(service: QueryService, { byPosition = false } = {}) {
  return {
    provide: service,
    inject: [ProjectionRuntime, APP_CONFIG, CLOCK],
    useFactory: (runtime: ProjectionRuntime, config: AppConfig, clock: Clock) =>
      new service(slicedReads(runtime.readModels), {
        churnWindowDays: config.projections.churnWindowDays,
        now: () => clock.now(),
        ...(byPosition && config.transport.kind === 'direct' && { position: () => runtime.position() }),
      }),
  };
}

/** The journey also reads the customer's stream: its timeline is not a stored read model. */
const journeyQueries = {
  provide: JourneyQueries,
  inject: [ProjectionRuntime, EVENT_STORE, APP_CONFIG, CLOCK],
  useFactory: (runtime: ProjectionRuntime, events: EventStore, config: AppConfig, clock: Clock) =>
    new JourneyQueries(slicedReads(runtime.readModels), events, {
      churnWindowDays: config.projections.churnWindowDays,
      now: () => clock.now(),
    }),
};

/**
 * The read routes: journey, scores, segments, KPIs and campaigns over the read models,
 * each waiting for `minPosition` (read-your-writes) first. Needs APP_CONFIG,
 * CLOCK, EVENT_STORE and BLIND_INDEX_KEY from the core module, and ProjectionRuntime and
 * READ_POSITIONS from the global ProjectionsModule (libs/projections/src/runtime).
 */
@Module({
  controllers: [
    GetCustomerJourneyController,
    GetCustomerScoresController,
    ListCustomersController,
    GetCustomerProfileController,
    GetKpisController,
    FindDuplicatesController,
    ListFollowUpsController,
    ListCampaignsController,
    GetCampaignController,
    ExportCampaignAudienceController,
  ],
  providers: [
    journeyQueries,
    {
      provide: BlindIndex,
      inject: [BLIND_INDEX_KEY],
      useFactory: (key: Uint8Array) => new BlindIndex(key),
    },
    {
      provide: CustomerProfiles,
      inject: [EVENT_STORE],
      useFactory: (events: EventStore) => new CustomerProfiles(events),
    },
    queryProvider(ScoresQueries),
    queryProvider(CustomerSegments, { byPosition: true }),
    queryProvider(KpiQueries, { byPosition: true }),
    {
      provide: FollowUpQueries,
      inject: [ProjectionRuntime],
      useFactory: (runtime: ProjectionRuntime) => new FollowUpQueries(slicedReads(runtime.readModels)),
    },
    {
      provide: CampaignQueries,
      inject: [ProjectionRuntime],
      useFactory: (runtime: ProjectionRuntime) => new CampaignQueries(slicedReads(runtime.readModels)),
    },
    {
      provide: PortfolioQueries,
      inject: [ProjectionRuntime],
      useFactory: (runtime: ProjectionRuntime) => new PortfolioQueries(slicedReads(runtime.readModels)),
    },
  ],
  exports: [KpiQueries, PortfolioQueries],
})
export class ReadApiModule {}
