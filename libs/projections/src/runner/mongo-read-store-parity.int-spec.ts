import { SqliteEventStore } from '@crm/event-store';
import { MAX_LIMIT, type ReadStore, SqliteReadStore } from '@crm/read-store';
import { MongoReadStore } from '@crm/read-store/mongo';
import { dropDatabases, freshDatabaseName, mongodbUrlForTests } from '@crm/read-store/testing';
import { JOURNEY_STAGES } from '../journey/journey.document';
import { CustomerSegments, type SegmentPage, type SegmentQuery } from '../queries/customer-segments';
import { JourneyQueries, type JourneyView } from '../queries/journey.queries';
import { KpiQueries } from '../queries/kpi.queries';
import { ScoresQueries, scoresAsOfDay } from '../queries/scores.queries';
import { VALUE_TIERS } from '../queries/value-tier-bounds';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { customerStreamId, type EventMetadata } from '@crm/domain';
import { FollowUpQueries } from '../follow-ups/follow-ups.queries';
import { CampaignQueries } from '../queries/campaign.queries';
import { PortfolioQueries } from '../portfolio/portfolio.queries';
import { FIXTURE_DIR, fixtureExpected, loadFixture } from '../testing/crm-fixture';
import { FIXTURE_MERGE, recordMerge } from '../merge/testing/record-merge';
import { digestOf, dumpCollections } from '../testing/read-model-digest';
import { CUSTOMER_PROJECTIONS, IDIC_COLLECTION, JOURNEY_COLLECTION } from './customer-projections';
import { ProjectionRunner } from '../runtime/log/projection-runner';

/**
 * The hand-checked fixture projected into MongoDB (FerretDB in the
 * integration run) and into the embedded SQLite store: the read models and
 * every query service must agree, document for document and answer for
 * answer. The SQLite side is checked against the fixture's expected values
 * by fixture.e2e-spec.ts, so agreeing with it is agreeing with the fixture.
 */

const url = mongodbUrlForTests();

// Projecting the whole fixture into FerretDB takes a while; jest 29 ignores the int project's testTimeout.
jest.setTimeout(600_000);
const COLLECTIONS = CUSTOMER_PROJECTIONS.flatMap((projection) => projection.collections.map((c) => c.name));
const AS_OF = '2026-01-01T00:00:00.000Z';
const CUSTOMERS = ['cust-01', 'cust-05', 'cust-12', 'cust-19', 'cust-21', 'cust-23', 'cust-33', 'nobody'];
/** Two purchasers of the fixture, merged late in its year: the parity covers the merged read models too. */
const MERGE = FIXTURE_MERGE;
const TIME_TRAVEL_INSTANTS = ['2025-03-01', '2025-09-01', '2025-12-01', '2026-01-01'].map(
  (day) => `${day}T00:00:00.000Z`,
);
const KPI_PERIODS = fixtureExpected<{ kpis: { period: string; from: string; to: string }[] }>().kpis;

type OperationsLine = {
  readonly customerId: string;
  readonly type: string;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
};
type OperationsExpected = {
  readonly periods: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  readonly campaigns: Readonly<Record<string, unknown>>;
  readonly worklists: { readonly asOf: string; readonly byAssignee: Readonly<Record<string, unknown>> };
};
const OPERATIONS = {
  lines: readFileSync(join(FIXTURE_DIR, 'crm-operations.events.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OperationsLine),
  expected: JSON.parse(
    readFileSync(join(FIXTURE_DIR, 'crm-operations.expected.json'), 'utf8'),
  ) as OperationsExpected,
};

type Side = { readonly store: ReadStore; readonly label: string };

describe('MongoReadStore and SqliteReadStore over the hand-checked fixture', () => {
  const database = freshDatabaseName('parity');
  let events: SqliteEventStore;
  let sqlite: SqliteReadStore;
  let mongo: MongoReadStore;
  let sides: [Side, Side];

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    await loadFixture(events);
    await recordMerge(events, MERGE);
    // The operations fixture beside it: follow-ups, survey requests, breaches and campaigns of its own customers.
    for (const line of OPERATIONS.lines)
      await events.append(customerStreamId(line.customerId), [{ ...line, version: 1 }]);
    sqlite = await SqliteReadStore.open({ file: ':memory:' });
    mongo = await MongoReadStore.open({ url, database });
    // Small batches on MongoDB: many units, most writing documents the previous ones wrote.
    await new ProjectionRunner(events, sqlite, CUSTOMER_PROJECTIONS).catchUp();
    await new ProjectionRunner(events, mongo, CUSTOMER_PROJECTIONS, { batchSize: 7 }).catchUp();
    sides = [
      { store: sqlite, label: 'sqlite' },
      { store: mongo, label: 'mongo' },
    ];
  });
  afterAll(async () => {
    await mongo?.close();
    await sqlite?.close();
    await events?.close();
    await dropDatabases(url, [database]);
  });

  /** What each store answers to the same question, for one toEqual. */
  const bothAnswer = async <T>(ask: (store: ReadStore) => Promise<T>): Promise<{ sqlite: T; mongo: T }> => {
    const [fromSqlite, fromMongo] = await Promise.all(sides.map((side) => ask(side.store)));
    return { sqlite: fromSqlite as T, mongo: fromMongo as T };
  };

  it('reaches the head of the log in every projection', async () => {
    const head = await events.headPosition();
    for (const projection of CUSTOMER_PROJECTIONS) {
      expect(await bothAnswer((store) => store.checkpoint(projection.name))).toEqual({
        sqlite: head,
        mongo: head,
      });
    }
  });

  it('holds no document of the merged customer, and the survivor’s with its history, on both', async () => {
    const { sqlite: expected, mongo: actual } = await bothAnswer(async (store) => ({
      merged: await store.get(JOURNEY_COLLECTION, MERGE.mergedId),
      survivor: await store.get(IDIC_COLLECTION, MERGE.survivorId),
    }));
    expect(expected.merged).toBeNull();
    expect(expected.survivor).not.toBeNull();
    expect(actual).toEqual(expected);
  });

  it.each(COLLECTIONS)('holds the same %s documents', async (collection) => {
    const { sqlite: expected, mongo: actual } = await bothAnswer((store) =>
      dumpCollections(store, [collection]),
    );
    expect(expected[collection]?.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('gives the same digest of all collections', async () => {
    const { sqlite: expected, mongo: actual } = await bothAnswer((store) => digestOf(store, COLLECTIONS));
    expect(actual).toBe(expected);
  });

  it('answers the same cohort table', async () => {
    const { sqlite: expected, mongo: actual } = await bothAnswer((store) =>
      new PortfolioQueries(store).cohorts({
        from: '1990-01',
        to: '2100-01',
        months: 24,
        asOf: new Date('2100-01-01T00:00:00Z'),
      }),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it.each(CUSTOMERS)('answers the same journey for %s, paging the timeline two at a time', async (id) => {
    const answers = await bothAnswer((store) =>
      journeyWithWholeTimeline(new JourneyQueries(store, events), id),
    );
    expect(answers.mongo).toEqual(answers.sqlite);
  });

  it.each(CUSTOMERS)('answers the same IDIC scores for %s', async (id) => {
    const answers = await bothAnswer((store) => new ScoresQueries(store).get(id, AS_OF));
    expect(answers.mongo).toEqual(answers.sqlite);
  });

  it.each(CUSTOMERS)(
    'answers the same time-travel scores for %s at the start of each fixture instant',
    async (id) => {
      for (const asOf of TIME_TRAVEL_INSTANTS) {
        const answers = await bothAnswer((store) => scoresAsOfDay(events, store, id, asOf));
        expect({ asOf, ...answers }).toEqual({ asOf, sqlite: answers.sqlite, mongo: answers.sqlite });
      }
    },
  );

  const SEGMENTS: [string, SegmentQuery][] = [
    ['everyone by customerId', {}],
    ['everyone by -netRevenue', { sort: '-netRevenue' }],
    ['everyone by lastPurchaseAt', { sort: 'lastPurchaseAt' }],
    ['everyone by -registeredAt', { sort: '-registeredAt' }],
    ...VALUE_TIERS.map((valueTier): [string, SegmentQuery] => [`tier ${valueTier}`, { valueTier }]),
    ...JOURNEY_STAGES.map((stage): [string, SegmentQuery] => [
      `stage ${stage} by -orders`,
      { stage, sort: '-orders' },
    ]),
    ['core customers at retention', { valueTier: 'core', stage: 'retention', sort: 'netRevenue' }],
    ['tier mvc by -netRevenue', { valueTier: 'mvc', sort: '-netRevenue' }],
    ['tier low by orders', { valueTier: 'low', sort: 'orders' }],
  ];

  it.each(SEGMENTS)('lists the same segment: %s, ten at a time', async (_, query) => {
    const answers = await bothAnswer((store) => wholeSegment(new CustomerSegments(store), query));
    expect(answers.sqlite.length).toBeGreaterThan(0);
    expect(answers.mongo).toEqual(answers.sqlite);
  });

  it.each(KPI_PERIODS.map((period) => [period.period, period] as const))(
    'reports the same KPIs for %s, month by month',
    async (_, period) => {
      const answers = await bothAnswer((store) =>
        new KpiQueries(store).get({ from: period.from, to: period.to, granularity: 'month' }),
      );
      expect(answers.mongo).toEqual(answers.sqlite);
    },
  );

  describe('over the operations fixture', () => {
    const { asOf, byAssignee } = OPERATIONS.expected.worklists;
    const worklists = [undefined, ...Object.keys(byAssignee)].flatMap((assignee) =>
      (['open', 'overdue'] as const).map((status) => [assignee ?? 'everyone', status, assignee] as const),
    );

    it.each(worklists)('answers the same worklist: %s, %s, two at a time', async (_, status, assignee) => {
      const { sqlite: expected, mongo: actual } = await bothAnswer(async (store) => {
        const queries = new FollowUpQueries(store);
        const items: unknown[] = [];
        let cursor: string | undefined;
        do {
          const page = await queries.worklist({
            ...(assignee !== undefined && { assignee }),
            status,
            asOf,
            limit: 2,
            ...(cursor !== undefined && { cursor }),
          });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        return items;
      });
      // Nobody ran the reactors here: the support queue has no breach follow-ups, so none overdue.
      if (assignee === undefined) expect(expected.length).toBeGreaterThan(2);
      expect(actual).toEqual(expected);
    });

    const periods = [
      ['all time', { from: null, to: null }] as const,
      ...OPERATIONS.expected.periods.map((p) => [p.name, { from: p.from, to: p.to }] as const),
    ];
    const campaignReads = Object.keys(OPERATIONS.expected.campaigns).flatMap((campaignId) =>
      periods.map(([name, period]) => [campaignId, name, period] as const),
    );

    it.each(campaignReads)('answers the same figures for %s, %s', async (campaignId, _, period) => {
      const { sqlite: expected, mongo: actual } = await bothAnswer((store) =>
        new CampaignQueries(store).get(campaignId, period),
      );
      expect(expected).not.toBeNull();
      expect(actual).toEqual(expected);
    });

    it('lists the same campaigns in every sort order', async () => {
      for (const sort of ['sent', 'conversionRate', 'attributedRevenue'] as const) {
        const { sqlite: expected, mongo: actual } = await bothAnswer((store) =>
          new CampaignQueries(store).list({ sort, limit: 100 }),
        );
        expect(actual).toEqual(expected);
      }
    });
  });
});

async function journeyWithWholeTimeline(
  journeys: JourneyQueries,
  customerId: string,
): Promise<{ view: JourneyView | null; timeline: unknown[] }> {
  const view = await journeys.get(customerId, { asOf: AS_OF, limit: 2 });
  const timeline: unknown[] = [...(view?.timeline.items ?? [])];
  let cursor = view?.timeline.nextCursor ?? null;
  while (cursor !== null) {
    const page = await journeys.timeline(customerId, { limit: 2, cursor });
    timeline.push(...page.items);
    cursor = page.nextCursor;
  }
  return { view, timeline };
}

async function wholeSegment(segments: CustomerSegments, query: SegmentQuery): Promise<SegmentPage['items']> {
  const items: SegmentPage['items'] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages <= MAX_LIMIT; pages++) {
    const page = await segments.list({ ...query, asOf: AS_OF, limit: 10, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('the segment never stopped paging');
}
