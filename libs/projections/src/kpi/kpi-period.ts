import { DAY_MS, epochMs } from '../shared/instant';
import type { InstantRange } from './facts/fact-chronology';

/** A reporting period by occurredAt: `from` inclusive, `to` exclusive, ISO-8601. */
export type KpiPeriod = {
  readonly from: string;
  readonly to: string;
};

export type KpiGranularity = 'day' | 'week' | 'month';

/** The period in epoch ms; throws RangeError on an unparseable bound or `from` after `to`. */
export function instantRangeOf(period: KpiPeriod): InstantRange {
  const range = { from: epochMs(period.from), to: epochMs(period.to) };
  if (range.from > range.to) {
    throw new RangeError(`The period starts (${period.from}) after it ends (${period.to})`);
  }
  return range;
}

/**
 * Splits [from, to) into UTC calendar buckets: days, ISO weeks (Monday
 * 00:00 UTC) or months. The first and last buckets are clipped to the
 * period, so the buckets always cover it exactly. Empty when from ≥ to.
 */
export function periodsOf(from: string, to: string, granularity: KpiGranularity): KpiPeriod[] {
  const end = epochMs(to);
  const periods: KpiPeriod[] = [];
  for (let start = epochMs(from); start < end;) {
    const next = Math.min(nextBoundary(start, granularity), end);
    periods.push({ from: new Date(start).toISOString(), to: new Date(next).toISOString() });
    start = next;
  }
  return periods;
}

/** The first bucket boundary strictly after `ms`. */
function nextBoundary(ms: number, granularity: KpiGranularity): number {
  const date = new Date(ms);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (granularity) {
    case 'day':
      return dayStart + DAY_MS;
    case 'week':
      return dayStart + (7 - daysSinceMonday(date)) * DAY_MS;
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    default: {
      const _exhaustive: never = granularity;
      return _exhaustive;
    }
  }
}

function daysSinceMonday(date: Date): number {
  return (date.getUTCDay() + 6) % 7;
}
