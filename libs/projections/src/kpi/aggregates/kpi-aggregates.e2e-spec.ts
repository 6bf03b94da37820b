import { SqliteReadStore, type Write } from '@crm/read-store';
import { mismatches } from '../../queries/testing/approximately';
import { DAY_MS } from '../../shared/instant';
import { computeKpis } from '../compute-kpis';
import { foldKpiFacts } from '../facts/kpi-facts.evolve';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { periodsOf } from '../kpi-period';
import { randomHistory, seededRandom } from '../testing/random-history';
import { kpisFromAggregates } from './kpi-aggregate-report';
import { type Day, dayOf } from './kpi-days';
import {
  incrementWrites,
  KpiCounters,
  KPI_PERIOD_COLLECTION,
  KPI_RESPONSES_COLLECTION,
  KPI_TOTALS_COLLECTION,
  KpiTermSink,
} from './kpi-term-sink';
import { kpiTerms } from './kpi-terms';

const WINDOW_MS = 180 * DAY_MS;
const iso = (day: Day): string => new Date(day * DAY_MS).toISOString();

/** Adds a customer's terms into `into` (sign −1 takes them out), as the projection does. */
function count(
  doc: KpiFactsDocument | null,
  into: KpiCounters,
  sign: 1 | -1 = 1,
  windowMs = WINDOW_MS,
): void {
  if (doc !== null) kpiTerms(doc, windowMs, new KpiTermSink(into, sign));
}

async function storeWith(units: readonly Write[][]): Promise<SqliteReadStore> {
  const store = await SqliteReadStore.open({ file: ':memory:' });
  await store.ensureCollections([
    { name: KPI_TOTALS_COLLECTION, indexes: [], kind: 'counters' },
    { name: KPI_PERIOD_COLLECTION, indexes: [], kind: 'counters' },
    { name: KPI_RESPONSES_COLLECTION, indexes: [], kind: 'counters' },
  ]);
  for (const [index, writes] of units.entries())
    await store.commit({ projection: 'kpi-spec', position: index + 1, writes });
  return store;
}

/** Customers folded from messy histories, each also half way, to apply as two units (old → new). */
function population(customers: number): { halfway: (KpiFactsDocument | null)[]; final: KpiFactsDocument[] } {
  const halfway: (KpiFactsDocument | null)[] = [];
  const final: KpiFactsDocument[] = [];
  for (let seed = 0; seed < customers; seed++) {
    const events = randomHistory(seed, 10 + (seed % 60));
    const whole = foldKpiFacts(null, events);
    if (whole === null) continue;
    halfway.push(foldKpiFacts(null, events.slice(0, Math.floor(events.length / 2))));
    final.push(whole);
  }
  return { halfway, final };
}

describe('KPIs from the aggregates equal compute-kpis on whole-day periods', () => {
  const { halfway, final } = population(250);
  let store: SqliteReadStore;

  beforeAll(async () => {
    const first = new KpiCounters();
    const second = new KpiCounters();
    final.forEach((doc, index) => {
      count(halfway[index] ?? null, first);
      count(doc, second);
      count(halfway[index] ?? null, second, -1);
    });
    store = await storeWith([incrementWrites(first), incrementWrites(second)]);
  });
  afterAll(() => store.close());

  const random = seededRandom(7);
  const start = dayOf('2023-10-01T00:00:00.000Z');
  const periods = Array.from({ length: 60 }, () => {
    const from = start + Math.floor(random() * 500);
    return { from, to: from + Math.floor(random() * (random() < 0.2 ? 700 : 70)) };
  });

  it.each(periods.map((period) => [iso(period.from), iso(period.to)]))('for [%s, %s)', async (from, to) => {
    const period = { from: dayOf(from), to: dayOf(to) };
    const [fromAggregates] = await kpisFromAggregates(store, [period]);
    expect(mismatches(fromAggregates, computeKpis(final, { from, to }))).toEqual([]);
  });

  it('answers a report of many buckets in one call, each equal to its own period', async () => {
    const buckets = periodsOf('2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'month');
    const whole = [...buckets, { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' }];
    const report = await kpisFromAggregates(
      store,
      whole.map((p) => ({ from: dayOf(p.from), to: dayOf(p.to) })),
    );
    whole.forEach((p, index) => expect(mismatches(report[index], computeKpis(final, p))).toEqual([]));
  });

  it('covers customers whose segment changes, who buy again after lapsing, and who use two channels', () => {
    const withSegmentChange = final.filter(
      (doc) => new Set(doc.profileChanges.map((c) => c.segment)).size > 2,
    );
    const lapsedAndBack = final.filter((doc) =>
      doc.purchases.some(
        (p, i) => i > 0 && Date.parse(p.at) - Date.parse(doc.purchases[i - 1]?.at ?? p.at) > WINDOW_MS,
      ),
    );
    expect(withSegmentChange.length).toBeGreaterThan(10);
    expect(lapsedAndBack.length).toBeGreaterThan(10);
  });

  it('leaves nothing behind when every customer is taken back out', async () => {
    const out = new KpiCounters();
    for (const doc of final) count(doc, out, -1);
    await store.commit({ projection: 'kpi-spec', position: 3, writes: incrementWrites(out) });
    const sets = await store.rangeCounters(KPI_TOTALS_COLLECTION, { from: '', to: '\uffff' });
    const periodSets = await store.rangeCounters(KPI_PERIOD_COLLECTION, { from: '', to: '\uffff' });
    const responseSets = await store.rangeCounters(KPI_RESPONSES_COLLECTION, { from: '', to: '\uffff' });
    expect([...sets, ...periodSets, ...responseSets]).toEqual([]);
  });
});
