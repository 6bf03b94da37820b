import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import type { JourneyView, ScoresView } from '@crm/projections';
import { mismatches } from '../../../projections/src/queries/testing/approximately';
import { FIXTURE_DIR, fixtureExpected, loadFixture } from '../../../projections/src/testing/crm-fixture';
import { TimeTravelQueries } from './time-travel.queries';

/**
 * Time travel against the hand-checked fixture: the snapshots at 2025-03-01
 * and 2025-09-01 (crm-fixture.expected.json) and at 2025-12-01
 * (crm-fixture.time-travel.json, computed by tools/fixtures/time_travel_values.py
 * with the independent Python implementation), plus the final 2026-01-01.
 * Every journey and IDIC field of every customer at each instant, and every
 * KPI of the fixture periods that end at or before it, all folded from the
 * log with nothing projected.
 */

type Json = Record<string, unknown>;
type Snapshot = {
  readonly asOf: string;
  readonly customers: readonly string[];
  readonly journey: Readonly<Record<string, Json>>;
  readonly idic: { readonly rfmPopulation: number; readonly customers: Readonly<Record<string, Json>> };
};
type KpiPeriodExpected = Json & { readonly period: string; readonly from: string; readonly to: string };
type Expected = { readonly snapshots: readonly Snapshot[]; readonly kpis: readonly KpiPeriodExpected[] };
type TimeTravelExpected = { readonly snapshot: Snapshot; readonly kpis: readonly KpiPeriodExpected[] };

const main = fixtureExpected<Expected>();
const extra = JSON.parse(
  readFileSync(join(FIXTURE_DIR, 'crm-fixture.time-travel.json'), 'utf8'),
) as TimeTravelExpected;
const snapshots = [...main.snapshots, extra.snapshot].sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
const periods = [...main.kpis, ...extra.kpis];

const ZERO_IS_MISSING = ['touchpointsByChannel', 'bySegment', 'byKindAndSegment', 'revenueBySegment'];
const KPI_INTERMEDIATES = new Set([
  'grossRevenue',
  'refunds',
  'purchasers',
  'activeAtFrom',
  'activeAtTo',
  'newPurchasers',
  'retained',
  'touchpoints',
  'customersWithTouchpoints',
  'casesWithResponse',
  'customers',
  'npsAnswers',
  'csatAnswers',
  'cesAnswers',
  'resolvedCases',
  'conversionNumerator',
  'conversionDenominator',
  'funnelCumulative',
  'projectionLag',
]);
const KPI_PROCESSES = [
  'strategyDevelopment',
  'valueCreation',
  'multichannelIntegration',
  'informationManagement',
  'performanceAssessment',
] as const;

describe('time travel over the hand-checked fixture', () => {
  let dir: string;
  let events: SqliteEventStore;
  let history: TimeTravelQueries;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-time-travel-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    await loadFixture(events);
    history = new TimeTravelQueries(events);
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks three instants before the last event, and the final one', () => {
    expect(snapshots.map((snapshot) => snapshot.asOf)).toEqual([
      '2025-03-01T00:00:00.000Z',
      '2025-09-01T00:00:00.000Z',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  describe.each(snapshots.map((snapshot) => [snapshot.asOf, snapshot] as const))(
    'at %s',
    (asOf, snapshot) => {
      it('knows exactly the customers registered before asOf', async () => {
        const everyone = new Set(main.snapshots[main.snapshots.length - 1]?.customers);
        const known: string[] = [];
        for (const customerId of everyone)
          if (await history.journey(customerId, { asOf })) known.push(customerId);
        expect(known.sort()).toEqual([...snapshot.customers]);
      });

      it('gives every journey field of every customer', async () => {
        const wrong: Json = {};
        for (const customerId of snapshot.customers) {
          const view = await history.journey(customerId, { asOf, limit: 1000 });
          const found = mismatches(journeyAsFixture(view), snapshot.journey[customerId], {
            zeroIsMissing: ZERO_IS_MISSING,
          });
          if (found.length > 0) wrong[customerId] = found;
        }
        expect(wrong).toEqual({});
      });

      it('gives every IDIC field of every customer, ranked among the purchasers at asOf', async () => {
        const wrong: Json = {};
        for (const customerId of snapshot.customers) {
          const view = await history.scores(customerId, asOf);
          const found = mismatches(idicAsFixture(view), snapshot.idic.customers[customerId]);
          if (view?.ranks && view.ranks.purchasers !== snapshot.idic.rfmPopulation)
            found.push({ path: 'N', actual: view.ranks.purchasers, expected: snapshot.idic.rfmPopulation });
          if (found.length > 0) wrong[customerId] = found;
        }
        expect(wrong).toEqual({});
      });

      const due = periods.filter((period) => period.to <= asOf);
      if (due.length > 0) {
        it.each(due.map((period) => [period.period, period] as const))(
          'gives every KPI of %s',
          async (_name, period) => {
            const report = await history.kpis({ asOf, from: period.from, to: period.to });
            const actual = Object.fromEntries(
              KPI_PROCESSES.map((process) => [process, report.total[process]]),
            );
            const wanted = Object.fromEntries(
              KPI_PROCESSES.map((process) => [process, withoutIntermediates(period[process] as Json)]),
            );
            expect(mismatches(actual, wanted, { zeroIsMissing: ZERO_IS_MISSING })).toEqual([]);
          },
        );
      }
    },
  );

  it('refuses a KPI period that ends after asOf', async () => {
    await expect(
      history.kpis({
        asOf: '2025-03-01T00:00:00Z',
        from: '2025-02-01T00:00:00Z',
        to: '2025-04-01T00:00:00Z',
      }),
    ).rejects.toThrow(RangeError);
  });

  it('pages the timeline at asOf in occurredAt order', async () => {
    const asOf = '2025-09-01T00:00:00.000Z';
    const count = (main.snapshots[1]?.journey['cust-19']?.['timelineCount'] as number) ?? -1;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const view = await history.journey('cust-19', { asOf, limit: 2, cursor });
      seen.push(...(view?.timeline.items ?? []).map((item) => item.occurredAt));
      cursor = view?.timeline.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(count);
    expect(seen).toEqual([...seen].sort());
    expect(seen.every((at) => at < asOf)).toBe(true);
  });
});

function withoutIntermediates(process: Json): Json {
  return Object.fromEntries(Object.entries(process).filter(([key]) => !KPI_INTERMEDIATES.has(key)));
}

function journeyAsFixture(view: JourneyView | null): Json | null {
  if (view === null) return null;
  return {
    registeredAt: view.registeredAt,
    stage: view.stage,
    stageHistory: view.stageHistory,
    status: view.status,
    lastPurchaseAt: view.lastPurchaseAt,
    firstTouchAt: view.firstTouchAt,
    lastTouchAt: view.lastTouchAt,
    touchpointsByChannel: view.touchpointsByChannel,
    daysToConvert: view.daysToConvert,
    timelineCount: view.timeline.nextCursor === null ? view.timeline.items.length : NaN,
  };
}

function idicAsFixture(view: ScoresView | null): Json | null {
  if (view === null) return null;
  const { value, needs } = view.differentiate;
  return {
    identity: { email: view.identify.email, phone: view.identify.phone },
    profileCompleteness: view.identify.profileCompleteness,
    netRevenue: value.netRevenue,
    grossRevenue: value.purchaseTotal,
    orders: value.orders,
    aov: value.aov,
    lastPurchaseAt: value.lastPurchaseAt,
    daysSinceLastPurchase: value.daysSinceLastPurchase,
    preferredChannel: needs.preferredChannel,
    topCategory: needs.topCategory,
    touchpoints90d: view.interact.touchpoints90d,
    touchpoints: view.interact.touchpoints,
    inboundShare: view.interact.inboundShare,
    latestNps: view.satisfaction.latestNps,
    npsClass: view.satisfaction.npsClass,
    avgCsat: view.satisfaction.avgCsat,
    R: value.rfm?.recency ?? null,
    F: value.rfm?.frequency ?? null,
    M: value.rfm?.monetary ?? null,
    L:
      view.ranks === null
        ? null
        : { R: view.ranks.recencyLower, F: view.ranks.frequencyLower, M: view.ranks.monetaryLower },
    differentiationScore: value.differentiationScore,
    valueTier: value.valueTier,
  };
}
