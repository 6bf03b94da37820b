import { Slicer } from '@crm/platform/slicing';
import type { CounterSet, ReadStore } from '@crm/read-store';
import { kpisFromCounters, type PayneFrowKpis } from '../payne-frow-kpis';
import {
  type Day,
  daySetId,
  firstDayOfMonth,
  type Month,
  monthOfDay,
  monthOfSetId,
  monthSetId,
  MONTH_SETS,
  piecesOf,
} from './kpi-days';
import { crossDaysSetId, KPI_PERIOD_COLLECTION, KPI_TOTALS_COLLECTION } from './kpi-term-sink';
import { readResponses, ResponseMedian } from './response-median';

/** A period of whole UTC days: `from` inclusive, `to` exclusive. */
export type DayPeriod = { readonly from: Day; readonly to: Day };

export type AggregateReportOptions = {
  /** Time travel: only first responses given before this day count. */
  readonly respondedBefore?: Day;
};

type Sums = ReadonlyMap<string, number>;

/**
 * The KPIs of each period from the aggregates: the sums of T- and F-counters
 * over every day before each bound (the months before the bound's month,
 * then that month's days), and the cross and response counters of each
 * period's own months and days. Reads O(months of history + days at the
 * edges), never a customer document.
 */
export async function kpisFromAggregates(
  store: ReadStore,
  periods: readonly DayPeriod[],
  options: AggregateReportOptions = {},
): Promise<PayneFrowKpis[]> {
  const bounds = [...new Set(periods.flatMap((period) => [period.from, period.to]))].sort((a, b) => a - b);
  const prefixes = await prefixSums(store, bounds);
  const setsOf = periods.map((period) => periodSetIds(period));
  const slicer = new Slicer();
  const pieceSets = await readPieces(
    store,
    [...new Set(setsOf.flatMap((ids) => [...ids.pieces, ...ids.crossDays]))],
    slicer,
  );
  const values = periods.map((period, index) => {
    const ids = setsOf[index] as PeriodSetIds;
    const setsAt = (list: readonly string[]): PieceSet[] =>
      list.flatMap((id) => {
        const set = pieceSets.get(id);
        return set === undefined ? [] : [set];
      });
    return new PeriodValues(
      prefixes.get(period.to) ?? new Map(),
      prefixes.get(period.from) ?? new Map(),
      [...setsAt(ids.pieces), ...setsAt(ids.crossDays)],
      ids.pieces,
      period.from,
      options.respondedBefore,
    );
  });
  const exact = await readResponses(
    store,
    values.flatMap((value) => value.median.sets),
    slicer,
  );
  const reports: PayneFrowKpis[] = [];
  for (const value of values) {
    const medianFirstResponseMinutes = value.median.of(exact, options.respondedBefore);
    reports.push(
      kpisFromCounters({
        value: (metric) => value.value(metric),
        family: (prefix) => value.family(prefix),
        medianFirstResponseMinutes,
      }),
    );
    await slicer.tick();
  }
  return reports;
}

type PeriodSetIds = {
  /** The period's day and month sets. */
  readonly pieces: readonly string[];
  /** For its months, the cross terms whose x is in `from`'s month (none when `from` starts a month). */
  readonly crossDays: readonly string[];
};

function periodSetIds(period: DayPeriod): PeriodSetIds {
  const pieces = piecesOf(period.from, period.to);
  const fromMonth = monthOfDay(period.from);
  const fromStartsMonth = period.from === firstDayOfMonth(fromMonth);
  return {
    pieces: pieces.map((piece) => (piece.level === 'day' ? daySetId(piece.day) : monthSetId(piece.month))),
    crossDays: fromStartsMonth
      ? []
      : pieces.flatMap((piece) => (piece.level === 'month' ? [crossDaysSetId(piece.month, fromMonth)] : [])),
  };
}

/**
 * A period set parsed once: cross terms by metric as [x, w] (`X:`) and as
 * [x's month, w] (`Y:`), first responses as [respondedDay, bucket, count].
 */
type PieceSet = {
  readonly cross: ReadonlyMap<string, readonly (readonly [Day, number])[]>;
  readonly crossByMonth: ReadonlyMap<string, readonly (readonly [Month, number])[]>;
  readonly responses: readonly (readonly [Day, number, number])[];
};

/**
 * The period sets, a few at a time with a turn of the event loop between
 * (a month's set holds thousands of counters), each parsed once for every
 * period that holds it.
 */
async function readPieces(
  store: ReadStore,
  ids: readonly string[],
  slicer: Slicer,
): Promise<Map<string, PieceSet>> {
  const parsed = new Map<string, PieceSet>();
  for (let start = 0; start < ids.length; start += PIECES_PER_READ) {
    for (const set of await store.getCounters(
      KPI_PERIOD_COLLECTION,
      ids.slice(start, start + PIECES_PER_READ),
    )) {
      parsed.set(set.id, parsePiece(set));
      await slicer.tick();
    }
    await slicer.tick();
  }
  return parsed;
}

const PIECES_PER_READ = 8;

function parsePiece(set: CounterSet): PieceSet {
  const cross = new Map<string, [Day, number][]>();
  const crossByMonth = new Map<string, [Month, number][]>();
  const responses: [Day, number, number][] = [];
  for (const [counter, value] of set.counters) {
    const split = counter.indexOf(':', 2);
    const kind = counter.slice(0, 2);
    if (kind === 'X:' || kind === 'Y:') {
      const into = kind === 'X:' ? cross : crossByMonth;
      const metric = counter.slice(split + 1);
      const list = into.get(metric) ?? [];
      if (list.length === 0) into.set(metric, list);
      list.push([Number(counter.slice(2, split)), value]);
    } else if (kind === 'Q:') {
      responses.push([Number(counter.slice(2, split)), Number(counter.slice(split + 1)), value]);
    }
  }
  return { cross, crossByMonth, responses };
}

/** Σ over every day before each bound of the T- and F-counters. */
async function prefixSums(store: ReadStore, bounds: readonly Day[]): Promise<Map<Day, Sums>> {
  const last = bounds[bounds.length - 1];
  if (last === undefined) return new Map();
  const months = await store.rangeCounters(KPI_TOTALS_COLLECTION, {
    from: MONTH_SETS.first,
    to: monthSetId(monthOfDay(last)),
  });
  const running = new Map<string, number>();
  const sums = new Map<Day, Sums>();
  let next = 0;
  for (const bound of bounds) {
    const month: Month = monthOfDay(bound);
    for (; next < months.length && monthOfSetId((months[next] as CounterSet).id) < month; next++)
      addInto(running, months[next] as CounterSet);
    const sum = new Map(running);
    const monthStart = firstDayOfMonth(month);
    if (bound > monthStart) {
      const days = await store.rangeCounters(KPI_TOTALS_COLLECTION, {
        from: daySetId(monthStart),
        to: daySetId(bound),
      });
      for (const day of days) addInto(sum, day);
    }
    sums.set(bound, sum);
  }
  return sums;
}

function addInto(sum: Map<string, number>, set: CounterSet): void {
  for (const [counter, value] of set.counters) sum.set(counter, (sum.get(counter) ?? 0) + value);
}

/** The figures of one period [from, to): V(m) = ΣT(to) + ΣF(from) + ΣW(to) − ΣW(from) + cross terms inside. */
class PeriodValues {
  private readonly cross = new Map<string, number>();
  readonly median: ResponseMedian;

  /**
   * @param inPeriod the sets of the period's days and months, and of their
   *   cross terms by x's month (only the day sets and those hold `X:`
   *   entries, only the month sets `Y:` and `Q:` entries)
   * @param pieceSetIds the ids of the period's day and month sets
   */
  constructor(
    private readonly atTo: Sums,
    private readonly atFrom: Sums,
    inPeriod: readonly PieceSet[],
    pieceSetIds: readonly string[],
    from: Day,
    respondedBefore: Day | undefined,
  ) {
    const buckets = new Map<number, number>();
    const fromMonth = monthOfDay(from);
    const addCross = (metric: string, sum: number): void => {
      if (sum !== 0) this.cross.set(metric, (this.cross.get(metric) ?? 0) + sum);
    };
    for (const piece of inPeriod) {
      for (const [metric, entries] of piece.cross) {
        let sum = 0;
        for (const [x, w] of entries) if (x < from) sum += w;
        addCross(metric, sum);
      }
      for (const [metric, entries] of piece.crossByMonth) {
        let sum = 0;
        for (const [xMonth, w] of entries) if (xMonth < fromMonth) sum += w;
        addCross(metric, sum);
      }
      for (const [respondedDay, bucket, count] of piece.responses) {
        if (respondedBefore !== undefined && respondedDay >= respondedBefore) continue;
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
      }
    }
    this.median = new ResponseMedian(buckets, pieceSetIds);
  }

  value(metric: string): number {
    const within = (this.atTo.get(`W:${metric}`) ?? 0) - (this.atFrom.get(`W:${metric}`) ?? 0);
    return (
      (this.atTo.get(`T:${metric}`) ?? 0) +
      (this.atFrom.get(`F:${metric}`) ?? 0) +
      within +
      (this.cross.get(metric) ?? 0)
    );
  }

  /** Every metric `prefix|…` with its value, the part after the prefix as key. */
  family(prefix: string): Map<string, number> {
    const names = new Set<string>();
    for (const sums of [this.atTo, this.atFrom]) {
      for (const counter of sums.keys()) if (counter.startsWith(prefix, 2)) names.add(counter.slice(2));
    }
    for (const metric of this.cross.keys()) if (metric.startsWith(prefix)) names.add(metric);
    return new Map([...names].map((metric) => [metric.slice(prefix.length), this.value(metric)] as const));
  }
}
