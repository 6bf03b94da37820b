import { randomUUID } from 'node:crypto';
import { unitHash } from './reads-history';
import type { BenchHistories } from './rebuild.bench';

/** A period `[from, to)` as ISO instants. */
export type Period = { readonly from: string; readonly to: string };

/** One read the bench times: its route, different per request index (customer, period). */
export type ReadSpec = { readonly name: string; readonly path: (index: number) => string };

/** The periods the reads rotate through, reported with the results. */
export type ReadPeriods = { readonly month: readonly Period[]; readonly twelveMonths: readonly Period[] };

const ROTATION = 6;

function monthStart(ms: number, monthsLater = 0): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsLater, 1);
}

/**
 * Up to `count` periods of `months` whole UTC calendar months inside
 * `[start, end)`, the latest ending at the last month boundary at or before
 * `end`, each of the others a month before the next: day-aligned bounds,
 * and a rotation, so that a read answered from a cache of one period is not
 * all the bench sees.
 */
export function monthPeriods(start: number, end: number, months: number, count: number): Period[] {
  const lastBoundary = monthStart(end);
  const periods: Period[] = [];
  for (let back = 0; back < count; back++) {
    const to = monthStart(lastBoundary, -back);
    const from = monthStart(lastBoundary, -back - months);
    if (from < start) break;
    periods.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  }
  if (periods.length === 0) throw new RangeError(`the log spans less than ${months} whole months`);
  return periods;
}

/** The periods of the reads in a log spanning `[start, end)`. */
export function readPeriods(start: number, end: number): ReadPeriods {
  return {
    month: monthPeriods(start, end, 1, ROTATION),
    twelveMonths: monthPeriods(start, end, 12, ROTATION),
  };
}

function cycle<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new RangeError('nothing to cycle through');
  return item;
}

/**
 * The reads the issue names, in the order they are timed: a purchaser's
 * journey and scores, two segment pages, the KPIs of one month and of
 * twelve months by month, time travel (the KPIs of one month and a
 * purchaser's scores, as of the end of that month), and campaign
 * performance (the list by attributed revenue; the month's campaign, which
 * the bench log names `camp-YYYY-MM`, over that month).
 */
export function readSpecs(purchasers: readonly string[], periods: ReadPeriods): ReadSpec[] {
  const month = (index: number): Period => cycle(periods.month, index);
  const year = (index: number): Period => cycle(periods.twelveMonths, index);
  const customer = (index: number): string => cycle(purchasers, index);
  return [
    { name: 'journey', path: (index) => `/customers/${customer(index)}/journey` },
    { name: 'scores', path: (index) => `/customers/${customer(index)}/scores` },
    { name: 'segmentMvc', path: () => '/customers?valueTier=mvc&limit=50' },
    { name: 'segmentTopNetRevenue', path: () => '/customers?sort=-netRevenue&limit=50' },
    {
      name: 'kpisMonth',
      path: (index) => `/kpis?from=${month(index).from}&to=${month(index).to}&granularity=month`,
    },
    {
      name: 'kpis12Months',
      path: (index) => `/kpis?from=${year(index).from}&to=${year(index).to}&granularity=month`,
    },
    {
      name: 'timeTravelKpisMonth',
      path: (index) => {
        const { from, to } = month(index);
        return `/analytics/kpis?asOf=${to}&from=${from}&to=${to}`;
      },
    },
    {
      name: 'timeTravelScores',
      path: (index) => `/analytics/customers/${customer(index)}/scores?asOf=${month(index).to}`,
    },
    { name: 'campaigns', path: () => '/campaigns?sort=attributedRevenue&limit=50' },
    {
      name: 'campaignMonth',
      path: (index) => {
        const { from, to } = month(index);
        return `/campaigns/camp-${from.slice(0, 7)}?from=${from}&to=${to}`;
      },
    },
  ];
}

/** The one-touchpoint ingest the isolation figure times: a logged call, now. */
export function callLogged(): Record<string, unknown> {
  return {
    type: 'CallLogged',
    eventId: randomUUID(),
    direction: 'inbound',
    durationSeconds: 120,
    outcome: 'connected',
  };
}

/** When the customer first buys (ms since the epoch), or null for one who never does. */
export function firstPurchaseAt(histories: BenchHistories, customer: number): number | null {
  const first = histories
    .historyOf(customer, histories.lengthOf(customer))
    .find((event) => event.type === 'PurchaseCompleted');
  return first?.occurredAt === undefined ? null : Date.parse(first.occurredAt);
}

/**
 * Up to `size` distinct customers who bought before `boughtBefore`, drawn
 * by `seed` from the whole base (at most 20 draws per customer wanted, so a
 * base without any ends): a time-travel read as of a past month must find
 * them registered, and their scores ranked.
 */
export function purchaserSample(
  histories: BenchHistories,
  size: number,
  seed: number,
  boughtBefore = Number.POSITIVE_INFINITY,
): string[] {
  const chosen = new Set<number>();
  for (let draw = 0; draw < size * 20 && chosen.size < size; draw++) {
    const customer = Math.floor(unitHash(seed, draw) * histories.customers);
    if (chosen.has(customer)) continue;
    const firstPurchase = firstPurchaseAt(histories, customer);
    if (firstPurchase !== null && firstPurchase < boughtBefore) chosen.add(customer);
  }
  return [...chosen].map((customer) => `bench-${customer}`);
}
