import {
  CAMPAIGN_CUSTOMERS_COLLECTION,
  CAMPAIGN_MEMBERS_COLLECTION,
  CAMPAIGN_TOTALS_COLLECTION,
} from '../campaigns';
import { CampaignQueries } from '../queries/campaign.queries';
import { IDIC_RANK_HISTORY_COLLECTION, IDIC_RANKS_COLLECTION } from '../idic';
import { KPI_PERIOD_COLLECTION, KPI_RESPONSES_COLLECTION, KPI_TOTALS_COLLECTION } from '../kpi';
import { CustomerSegments } from '../queries/customer-segments';
import { JourneyQueries } from '../queries/journey.queries';
import { KpiQueries } from '../queries/kpi.queries';
import { ScoresQueries } from '../queries/scores.queries';
import {
  catchUpAll,
  projectedReadModels,
  type ProjectedReadModels,
} from '../queries/testing/projected-read-models';
import { IDIC_COLLECTION, JOURNEY_COLLECTION, KPI_FACTS_COLLECTION } from '../runner/customer-projections';
import { withoutPositions } from '../shared/testing/projection-log.fixture';
import { dumpCollections } from '../testing/read-model-digest';
import { customerStreamId } from '@crm/domain';
import { SqliteReadStore, type StoredDocument } from '@crm/read-store';
import type { JourneyDocument } from '../journey';
import { DEAD_LETTER_COLLECTION } from '../runner/dead-letter';
import { CUSTOMER_PROJECTIONS, journeyProjection } from '../runner/customer-projections';
import { BatchApplier } from '../runtime/engine/batch-applier';
import { toCustomerEvent } from '../runtime/log/customer-streams';
import { mergeWorlds } from './testing/merge-worlds';

const DOCUMENTS = [
  JOURNEY_COLLECTION,
  IDIC_COLLECTION,
  KPI_FACTS_COLLECTION,
  CAMPAIGN_CUSTOMERS_COLLECTION,
  CAMPAIGN_MEMBERS_COLLECTION,
];
const COUNTERS = [
  CAMPAIGN_TOTALS_COLLECTION,
  IDIC_RANKS_COLLECTION,
  IDIC_RANK_HISTORY_COLLECTION,
  KPI_TOTALS_COLLECTION,
  KPI_PERIOD_COLLECTION,
  KPI_RESPONSES_COLLECTION,
];
const AS_OF = '2025-02-01T00:00:00.000Z';
const now = () => new Date(AS_OF);

/** What a client reads of the read models: every document and counter, and the query services' answers. */
async function readsOf(models: ProjectedReadModels) {
  const options = { now, churnWindowDays: 180 };
  const journey = await new JourneyQueries(models.store, models.events, options).get('keep', { asOf: AS_OF });
  const scores = await new ScoresQueries(models.store, options).get('keep', AS_OF);
  const kpis = await new KpiQueries(models.store, options).get({
    from: '2025-01-01T00:00:00.000Z',
    to: AS_OF,
    granularity: 'week',
  });
  const segments = await new CustomerSegments(models.store, options).list({ asOf: AS_OF });
  const vip = await new CustomerSegments(models.store, options).list({ asOf: AS_OF, segment: 'vip' });
  const campaigns = await new CampaignQueries(models.store).list();
  return withoutPositions({
    documents: await dumpCollections(models.store, DOCUMENTS),
    counters: await dumpCollections(models.store, COUNTERS),
    journey,
    scores,
    kpis,
    segments,
    vip,
    campaigns,
  });
}

describe('a merge in the read models', () => {
  const worlds = mergeWorlds();
  let merged: ProjectedReadModels;
  let combined: ProjectedReadModels;

  beforeAll(async () => {
    // Live: the history before the merge is projected first, the merge and what follows in log order.
    merged = await projectedReadModels(worlds.merged.slice(0, worlds.beforeMerge));
    await merged.append(worlds.merged.slice(worlds.beforeMerge));
    combined = await projectedReadModels(worlds.combined);
  });
  afterAll(async () => {
    await merged.close();
    await combined.close();
  });

  it('counts the two customers as one before the merge is applied, and one after', async () => {
    const before = await projectedReadModels(worlds.merged.slice(0, worlds.beforeMerge));
    try {
      expect((await before.store.get(JOURNEY_COLLECTION, 'dupe'))?.id).toBe('dupe');
    } finally {
      await before.close();
    }
    expect(await merged.store.get(JOURNEY_COLLECTION, 'dupe')).toBeNull();
    expect(await merged.store.get(IDIC_COLLECTION, 'dupe')).toBeNull();
    expect(await merged.store.get(KPI_FACTS_COLLECTION, 'dupe')).toBeNull();
    expect(await merged.store.get(CAMPAIGN_CUSTOMERS_COLLECTION, 'dupe')).toBeNull();
    expect(await merged.store.get(CAMPAIGN_MEMBERS_COLLECTION, 'summer|dupe')).toBeNull();
  });

  it('gives the survivor the journey, scores, segments, KPIs and counters of a customer who had the combined history from the start', async () => {
    const live = await readsOf(merged);
    expect(live).toEqual(await readsOf(combined));
    // Not equal by accident: dupe's orders, NPS and earlier registration are in them.
    expect(live).toMatchObject({
      scores: { differentiate: { value: { orders: 4 } } },
      journey: { registeredAt: '2025-01-02T09:00:00.000Z', stage: 'loyalty' },
      // dupe's click counts as keep's and earns dupe's d-2 for summer; keep's own click came after k-2.
      campaigns: {
        items: [
          { campaignId: 'summer', clicked: 1, attributedRevenue: 1_500 },
          { campaignId: 'spring', clicked: 1, attributedRevenue: 0 },
        ],
      },
      // dupe's request, answered on both streams, counts once beside keep's; dupe's breached case beside keep's.
      kpis: {
        total: {
          performanceAssessment: { surveyResponseRate: 1 },
          multichannelIntegration: { slaBreachRate: 1 / 2 },
        },
      },
    });
  });

  it('rebuilds to the same read models, customer by customer from nothing', async () => {
    const rebuilt = await SqliteReadStore.open({ file: ':memory:' });
    try {
      await catchUpAll(merged.events, rebuilt);
      const all = [...DOCUMENTS, ...COUNTERS];
      expect(await dumpCollections(rebuilt, all)).toEqual(await dumpCollections(merged.store, all));
    } finally {
      await rebuilt.close();
    }
  });

  it('applies the merge once: replaying the merge batch changes nothing', async () => {
    const all = [...DOCUMENTS, ...COUNTERS];
    const dump = await dumpCollections(merged.store, all);
    // The merge and what follows delivered again (a redelivery, a crash before the checkpoint moved).
    const firstMerge = (await merged.events.readAll({ types: ['CustomersMerged'] }))[0];
    if (firstMerge === undefined) throw new Error('no merge in the log');
    const page = await merged.events.readAll({ after: firstMerge.position - 1 });
    for (const projection of CUSTOMER_PROJECTIONS) {
      await new BatchApplier(merged.store, { history: merged.events }).apply([
        {
          projection,
          events: page.map(toCustomerEvent),
          checkpoint: projection.name,
          position: page[page.length - 1]?.position ?? firstMerge.position,
        },
      ]);
    }
    expect(await dumpCollections(merged.store, all)).toEqual(dump);
  });

  it('dead-letters a merge that comes without its history, while the other customers flow', async () => {
    const models = await projectedReadModels(worlds.merged.slice(0, worlds.beforeMerge));
    try {
      const checkpoint = await models.store.checkpoint(journeyProjection.name);
      const rest = worlds.merged.slice(worlds.beforeMerge);
      for (const { customerId, event } of rest)
        await models.events.append(customerStreamId(customerId), [event]);
      const page = await models.events.readAll({ after: checkpoint });
      const outcome = await new BatchApplier(models.store).apply([
        {
          projection: journeyProjection,
          events: page.map(toCustomerEvent),
          checkpoint: journeyProjection.name,
          position: page[page.length - 1]?.position ?? checkpoint,
        },
      ]);
      expect(
        outcome[0]?.failed.map((failure) => [failure.event.customerId, failure.event.event.type]),
      ).toEqual([['keep', 'CustomersMerged']]);
      const letters = await models.store.find(DEAD_LETTER_COLLECTION, { filter: { customerId: 'keep' } });
      expect(letters.items).toHaveLength(1);
      // Everyone else went on: ann's later purchase is in, dupe is gone.
      expect(await models.store.get(JOURNEY_COLLECTION, 'dupe')).toBeNull();
      expect(
        (await models.store.get<JourneyDocument & StoredDocument>(JOURNEY_COLLECTION, 'ann'))?.facts.orders,
      ).toHaveLength(2);
    } finally {
      await models.close();
    }
  });
});
