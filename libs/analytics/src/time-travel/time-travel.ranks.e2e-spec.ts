import { type CrmEvent, customerStreamId } from '@crm/domain';
import { type EventStore, SqliteEventStore } from '@crm/event-store';
import {
  CustomerProfiles,
  IDIC_COLLECTION,
  identityKeysOf,
  IDIC_RANK_HISTORY_COLLECTION,
  idicProjection,
  idicView,
  ProjectionRunner,
  type ScoresView,
  scoresAsOfDay,
} from '@crm/projections';
import { SqliteReadStore } from '@crm/read-store';
import {
  randomInt,
  type Random,
  seededRandom,
} from '../../../projections/src/shared/testing/fold-equivalence';
import { randomHistory } from '../../../projections/src/shared/testing/random-history';
import { fixtureEvents, loadFixture } from '../../../projections/src/testing/crm-fixture';
import { populationAt } from './history-replay';
import { PopulationRanker } from './population-ranker';
import { TimeTravelQueries } from './time-travel.queries';

const DAY_MS = 86_400_000;

type Logged = { readonly customerId: string; readonly event: CrmEvent };

/**
 * Random customers' messy histories (random-history.ts), each customer's
 * events in their own order, the customers interleaved at random, the way a
 * live log mixes them. Redelivered events are left to the store's eventId
 * idempotency.
 */
function interleavedLog(random: Random, customers: number): Logged[] {
  const queues = Array.from({ length: customers }, (_, index) =>
    randomHistory(random, 1 + randomInt(random, 40), `c-${index}`).map((e) => ({
      customerId: `c-${index}`,
      event: e.event,
    })),
  );
  const log: Logged[] = [];
  for (let left = queues.filter((queue) => queue.length > 0); left.length > 0;) {
    const queue = left[randomInt(random, left.length)];
    const next = queue?.shift();
    if (next) log.push(next);
    left = left.filter((candidate) => candidate.length > 0);
  }
  return log;
}

describe('time-travel scores from the rank counters', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let fromCounters: TimeTravelQueries;
  const customers = 60;
  const random = seededRandom(2024);

  async function append(log: readonly Logged[]): Promise<void> {
    for (const { customerId, event } of log) await events.append(customerStreamId(customerId), [event]);
  }

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    store = await SqliteReadStore.open({ file: ':memory:' });
    const log = interleavedLog(random, customers);
    const half = Math.floor(log.length / 2);
    // The first half rebuilt customer by customer, the rest followed in the log's order, a few events at a time.
    await append(log.slice(0, half));
    await new ProjectionRunner(events, store, idicProjection).catchUp();
    await append(log.slice(half));
    await new ProjectionRunner(events, store, idicProjection, { batchSize: 7 }).catchUp();
    fromCounters = new TimeTravelQueries(events, { readModels: store });
  });
  afterAll(async () => {
    await store.close();
    await events.close();
  });

  it('gives every customer at the start of a day the view and the ranks of the whole log folded, with PopulationRanker', async () => {
    const first = Math.floor(Date.parse('2023-12-25T00:00:00Z') / DAY_MS);
    const days = [first, ...Array.from({ length: 8 }, () => first + randomInt(random, 450))];
    let ranked = 0;
    for (const day of days) {
      const asOf = new Date(day * DAY_MS).toISOString();
      const { idic } = await populationAt(events, asOf, { idic: true });
      const ranker = new PopulationRanker(idic.values(), asOf);
      for (let index = 0; index < customers; index++) {
        const customerId = `c-${index}`;
        const doc = idic.get(customerId);
        const ranks = doc === undefined ? null : ranker.ranksOf(doc);
        const unranked = { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 0 };
        const expected = doc === undefined ? null : { ...idicView(doc, asOf, ranks ?? unranked), ranks };
        if (ranks !== null) ranked++;
        // The counters answer (not the fold the route falls back to) for every customer the projection knows.
        const known = (await store.get(IDIC_COLLECTION, customerId)) !== null;
        const view = await scoresAsOfDay(events, store, customerId, asOf);
        expect({ asOf, customerId, view }).toEqual({ asOf, customerId, view: known ? expected : undefined });
        expect(await fromCounters.scores(customerId, asOf)).toEqual(await withKeys(events, expected, asOf));
      }
    }
    expect(ranked).toBeGreaterThan(100);
  });

  it('folds the log for an instant inside a day, as without counters', async () => {
    const asOf = '2024-06-01T12:00:00.000Z';
    const replayed = new TimeTravelQueries(events);
    for (const customerId of ['c-1', 'c-2', 'c-3'])
      expect(await fromCounters.scores(customerId, asOf)).toEqual(await replayed.scores(customerId, asOf));
  });

  it('folds the log rather than read rank counters of another layout, until they are gone', async () => {
    const asOf = '2024-06-01T00:00:00.000Z';
    const customerId = 'c-4';
    const expected = await new TimeTravelQueries(events).scores(customerId, asOf);
    const older = (delta: number): Parameters<SqliteReadStore['commit']>[0] => ({
      projection: 'older-idic-scores',
      position: 1,
      writes: [
        {
          kind: 'increment',
          collection: IDIC_RANK_HISTORY_COLLECTION,
          id: 'meta',
          counters: { 'layout:1': delta },
        },
      ],
    });
    await store.commit(older(1));
    expect(await scoresAsOfDay(events, store, customerId, asOf)).toBeUndefined();
    expect(await fromCounters.scores(customerId, asOf)).toEqual(expected);
    await store.commit(older(-1));
    expect(await withKeys(events, await scoresAsOfDay(events, store, customerId, asOf), asOf)).toEqual(
      expected,
    );
  });

  it('gives every fixture customer at the fixture instants what the hand-checked fold gives', async () => {
    const fixture = await SqliteEventStore.open({ file: ':memory:' });
    const models = await SqliteReadStore.open({ file: ':memory:' });
    try {
      await loadFixture(fixture);
      await new ProjectionRunner(fixture, models, idicProjection).catchUp();
      const replayed = new TimeTravelQueries(fixture);
      const customerIds = [...new Set(fixtureEvents().map((line) => line.customerId))];
      for (const asOf of ['2025-03-01', '2025-09-01', '2025-12-01', '2026-01-01'].map(
        (day) => `${day}T00:00:00.000Z`,
      )) {
        for (const customerId of customerIds) {
          const expected = await replayed.scores(customerId, asOf);
          const view = await withKeys(fixture, await scoresAsOfDay(fixture, models, customerId, asOf), asOf);
          expect({ asOf, customerId, view }).toEqual({ asOf, customerId, view: expected });
        }
      }
    } finally {
      await models.close();
      await fixture.close();
    }
  });
});

/**
 * The view with the identity keys the customer's stream held as of asOf: the
 * read models keep none (docs/privacy.md), so the time-travel route folds
 * them from the decrypted stream, beside the counters or the replay.
 */
async function withKeys(
  events: EventStore,
  view: ScoresView | null | undefined,
  asOf: string,
): Promise<ScoresView | null | undefined> {
  if (view === null || view === undefined) return view;
  const profile = await new CustomerProfiles(events).get(view.customerId, { occurredBefore: asOf });
  const keys = profile === null ? { email: null, phone: null } : identityKeysOf(profile);
  return { ...view, identify: { ...view.identify, ...keys } };
}
