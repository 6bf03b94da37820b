import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore, type Write } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { foldIdic } from '../idic/idic.projection';
import { rankAmong, recencyDays } from '../idic/idic.scores';
import type { IdicRanks } from '../idic/idic.view';
import { scalePopulation } from '../idic/testing/scale-population';
import { idicProjection, journeyProjection } from '../runner/customer-projections';
import type { CustomerEvent } from '../runner/projection';
import { DAY_MS, epochMs } from '../shared/instant';
import type { ProjectedEvent } from '../shared/projected-event';
import { CustomerSegments } from './customer-segments';
import { ScoresQueries, scoresAsOfDay } from './scores.queries';
import { valueTierBounds } from './value-tier-bounds';

/**
 * The rank queries over a population of realistic size in a file-backed
 * SQLite read store, built by the idic and journey projections as a rebuild
 * builds it (each customer's history at once, 200 customers a unit), and
 * checked against counts over every document. `npm test` runs it at 2,000
 * customers; `RANKS_SCALE_CUSTOMERS=100000` (and `RANKS_SCALE_LOG=1` for the
 * event log that time travel reads) measures, printing p50/p99 per query:
 *
 *   RANKS_SCALE_CUSTOMERS=100000 RANKS_SCALE_LOG=1 npx jest --selectProjects e2e -- ranks-at-scale
 */
const CUSTOMERS = Number(process.env.RANKS_SCALE_CUSTOMERS ?? 2_000);
const WITH_LOG = process.env.RANKS_SCALE_LOG === '1';
const REPORT = process.env.RANKS_SCALE_CUSTOMERS !== undefined;
const PER_UNIT = 200;
const AS_OF = '2025-09-01T00:00:00.000Z';
/** Time travel's instants: inside the registrations, after them, and the live asOf's day. */
const PAST_DAYS = ['2023-07-01', '2024-06-15', '2025-09-01'].map(
  (day) => Date.parse(`${day}T00:00:00Z`) / DAY_MS,
);

type Values = {
  readonly id: string;
  readonly netRevenue: number;
  readonly orders: number;
  readonly lastMs: number;
};

function valuesOf(doc: IdicDocument | null): Values | null {
  if (doc === null || doc.orders < 1 || doc.lastPurchaseAt === null) return null;
  return { id: doc.id, netRevenue: doc.netRevenue, orders: doc.orders, lastMs: epochMs(doc.lastPurchaseAt) };
}

/** N and the Ls of one purchaser among all, at the start of `day` or at any instant (the reference). */
function bruteForce(all: readonly Values[], own: Values, asOf: string): IdicRanks {
  const negativeDays = (values: Values) => -recencyDays(new Date(values.lastMs).toISOString(), asOf);
  return {
    recencyLower: rankAmong(all.map(negativeDays), negativeDays(own)),
    frequencyLower: rankAmong(
      all.map((values) => values.orders),
      own.orders,
    ),
    monetaryLower: rankAmong(
      all.map((values) => values.netRevenue),
      own.netRevenue,
    ),
    purchasers: all.length,
  };
}

function take<T>(items: Iterator<T>, count: number): T[] {
  const taken: T[] = [];
  for (let next = items.next(); !next.done; next = items.next()) {
    taken.push(next.value);
    if (taken.length === count) break;
  }
  return taken;
}

async function timed(label: string, runs: number, work: (run: number) => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await work(run);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (!REPORT) return;
  ms.sort((a, b) => a - b);
  const at = (q: number) => (ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? 0).toFixed(1);
  process.stderr.write(`${label}: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${runs} runs)\n`);
}

describe(`rank queries over ${CUSTOMERS} customers`, () => {
  jest.setTimeout(3_600_000);
  let dir: string;
  let store: SqliteReadStore;
  let events: SqliteEventStore | undefined;
  const live: Values[] = [];
  const past = new Map<number, Values[]>(PAST_DAYS.map((day) => [day, []]));
  const ids: string[] = [];

  async function commitUnit(batch: CustomerEvent[], position: number): Promise<void> {
    const writes: [string, Write[]][] = [
      [idicProjection.name, await idicProjection.project(batch, store)],
      [journeyProjection.name, await journeyProjection.project(batch, store)],
    ];
    for (const [projection, unit] of writes) await store.commit({ projection, position, writes: unit });
  }

  /** The customer's events with the positions the log gave them (or as generated, without a log). */
  async function logOf(
    customerId: string,
    history: readonly ProjectedEvent[],
  ): Promise<readonly ProjectedEvent[]> {
    if (events === undefined) return history;
    const appended = await events.append(
      customerStreamId(customerId),
      history.map(({ event }) => ({ ...event, data: { ...event.data } })),
    );
    return history.map((e, index) => ({ ...e, position: appended.events[index]?.position ?? 0 }));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-ranks-'));
    store = await SqliteReadStore.open({ file: join(dir, 'read-models.sqlite'), synchronous: 'normal' });
    await store.ensureCollections([...idicProjection.collections, ...journeyProjection.collections]);
    if (WITH_LOG) events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    const started = Date.now();
    const population = scalePopulation(CUSTOMERS);
    for (
      let customers = take(population, PER_UNIT);
      customers.length > 0;
      customers = take(population, PER_UNIT)
    ) {
      // Appended side by side, so the store's group commit shares one fsync among them.
      const logged = await Promise.all(
        customers.map(({ customerId, events: history }) => logOf(customerId, history)),
      );
      const batch: CustomerEvent[] = [];
      customers.forEach(({ customerId }, index) => {
        const history = logged[index] ?? [];
        ids.push(customerId);
        batch.push(...history.map((e) => ({ ...e, customerId })));
        const values = valuesOf(foldIdic(null, history));
        if (values !== null) live.push(values);
        for (const [day, population] of past) {
          const counted = history.filter((e) => epochMs(e.event.occurredAt) < day * DAY_MS);
          const asOf = valuesOf(foldIdic(null, counted));
          if (asOf !== null) population.push(asOf);
        }
      });
      await commitUnit(batch, Math.max(...batch.map((e) => e.position)));
    }
    if (REPORT) process.stderr.write(`built ${CUSTOMERS} customers in ${Date.now() - started} ms\n`);
  });
  afterAll(async () => {
    await store.close();
    await events?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives sampled purchasers the ranks a count over every document gives, live and as of past days', async () => {
    const scores = new ScoresQueries(store);
    const sample = live.filter((_, index) => index % Math.ceil(live.length / 40) === 0);
    for (const own of sample) {
      const view = await scores.get(own.id, AS_OF);
      expect({ id: own.id, ranks: view?.ranks }).toEqual({ id: own.id, ranks: bruteForce(live, own, AS_OF) });
    }
    if (events === undefined) return;
    for (const [day, population] of past) {
      const asOf = new Date(day * DAY_MS).toISOString();
      for (const own of population.filter((_, index) => index % Math.ceil(population.length / 20) === 0)) {
        const view = await scoresAsOfDay(events, store, own.id, asOf);
        expect({ asOf, id: own.id, ranks: view?.ranks }).toEqual({
          asOf,
          id: own.id,
          ranks: bruteForce(population, own, asOf),
        });
      }
    }
  });

  it('bounds the value tiers where the ranks put them', async () => {
    const bounds = await valueTierBounds(store);
    const sorted = live.map((values) => values.netRevenue).sort((a, b) => a - b);
    const below = (value: number) => rankAmong(sorted, value);
    // Each bound is the least integer whose L/N reaches the tier's share.
    for (const [share, from] of [
      [0.8, bounds.mvcFrom],
      [0.3, bounds.coreFrom],
    ] as const) {
      expect(from).not.toBeNull();
      const bound = from ?? 0;
      expect([below(bound) / sorted.length >= share, below(bound - 1) / sorted.length >= share]).toEqual([
        true,
        false,
      ]);
    }
    expect(bounds.purchasers).toBe(live.length);
  });

  it('measures the reads', async () => {
    const scores = new ScoresQueries(store);
    const segments = new CustomerSegments(store);
    const pick = (run: number) => ids[(run * 7919) % ids.length] ?? '';
    await timed('GET /customers/:id/scores', 300, (run) => scores.get(pick(run), AS_OF));
    await timed('valueTierBounds', 100, () => valueTierBounds(store));
    for (const valueTier of ['mvc', 'core', 'low', 'below_zero', 'prospect'] as const)
      await timed(`GET /customers?valueTier=${valueTier}&limit=50`, 50, () =>
        segments.list({ valueTier, limit: 50, asOf: AS_OF }),
      );
    await timed('GET /customers?sort=-netRevenue&limit=50', 50, () =>
      segments.list({ sort: '-netRevenue', limit: 50, asOf: AS_OF }),
    );
    await timed('GET /customers?valueTier=mvc&sort=-netRevenue&limit=50', 50, () =>
      segments.list({ valueTier: 'mvc', sort: '-netRevenue', limit: 50, asOf: AS_OF }),
    );
    if (events === undefined) return;
    const log = events;
    for (const day of PAST_DAYS) {
      const asOf = new Date(day * DAY_MS).toISOString();
      await timed(`time-travel scores as of ${asOf}`, 100, (run) =>
        scoresAsOfDay(log, store, pick(run), asOf),
      );
    }
  });
});
