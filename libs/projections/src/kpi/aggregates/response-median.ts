import type { Slicer } from '@crm/platform/slicing';
import type { ReadStore } from '@crm/read-store';
import type { Day } from './kpi-days';
import { KPI_RESPONSES_COLLECTION, responseSetId } from './kpi-term-sink';

/** Exact first responses by set id (see responseSetId), as [respondedDay, ms, count]. */
export type ExactResponses = ReadonlyMap<string, readonly (readonly [Day, number, number])[]>;

const MS_PER_MINUTE = 60_000;

/**
 * The median first response of one period, from the count of each bucket
 * of response time in its days and months: which bucket holds each middle
 * value (0-based, the ⌊n/2⌋-th in order and, for an even n, the
 * (n/2 − 1)-th too), then only those buckets' exact values. Exact, because
 * the buckets keep the order of the values: the k-th value overall is the
 * (k − values in lower buckets)-th of its bucket. A year of 200,000
 * responses reads about a hundred bucket counts a month and the exact
 * values of one or two buckets, not 200,000 values.
 */
export class ResponseMedian {
  /** Each middle rank: its bucket and its rank within the bucket. */
  private readonly wanted: readonly { readonly bucket: number; readonly rank: number }[];
  /** The sets of exact values the median needs: each wanted bucket of each piece of the period. */
  readonly sets: readonly string[];

  /**
   * @param buckets bucket → responses in the period (those given before the time-travel day only)
   * @param pieceSetIds the period's day and month sets
   */
  constructor(
    buckets: ReadonlyMap<number, number>,
    private readonly pieceSetIds: readonly string[],
  ) {
    const ordered = [...buckets].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
    const n = ordered.reduce((total, [, count]) => total + count, 0);
    const ranks = n === 0 ? [] : n % 2 === 1 ? [Math.floor(n / 2)] : [n / 2 - 1, n / 2];
    const wanted: { bucket: number; rank: number }[] = [];
    let below = 0;
    let next = 0;
    for (const [bucket, count] of ordered) {
      while (next < ranks.length && (ranks[next] as number) < below + count) {
        wanted.push({ bucket, rank: (ranks[next] as number) - below });
        next++;
      }
      below += count;
    }
    this.wanted = wanted;
    const bucketsWanted = [...new Set(wanted.map(({ bucket }) => bucket))];
    this.sets = bucketsWanted.flatMap((bucket) => pieceSetIds.map((id) => responseSetId(id, bucket)));
  }

  /** The median in minutes (null without responses), given the exact values of `sets`. */
  of(exact: ExactResponses, respondedBefore: Day | undefined): number | null {
    const ordered = new Map<number, ValuesInOrder>();
    const minutes = this.wanted.map(({ bucket, rank }) => {
      let values = ordered.get(bucket);
      if (values === undefined) {
        values = valuesInOrder(bucket, this.pieceSetIds, exact, respondedBefore);
        ordered.set(bucket, values);
      }
      let below = 0;
      for (const ms of values.ms) {
        const count = values.counts.get(ms) as number;
        if (rank < below + count) return ms / MS_PER_MINUTE;
        below += count;
      }
      // The bucket counts and the exact values are written in the same units: they agree.
      throw new Error(`first responses of bucket ${bucket}: fewer exact values than counted`);
    });
    const [lower, upper] = minutes;
    if (lower === undefined) return null;
    return upper === undefined ? lower : (lower + upper) / 2;
  }
}

/** The distinct values of one bucket in ascending order, with how many responses took each. */
type ValuesInOrder = { readonly ms: Float64Array; readonly counts: ReadonlyMap<number, number> };

/**
 * One bucket's exact values over the period's sets, gathered once for both
 * middle ranks; the counts of a value given on several days add up (the
 * rank walk only needs how many responses took each value), and the values
 * sort as numbers, not as pairs.
 */
function valuesInOrder(
  bucket: number,
  pieceSetIds: readonly string[],
  exact: ExactResponses,
  respondedBefore: Day | undefined,
): ValuesInOrder {
  const counts = new Map<number, number>();
  for (const id of pieceSetIds) {
    for (const [respondedDay, ms, count] of exact.get(responseSetId(id, bucket)) ?? []) {
      if (respondedBefore !== undefined && respondedDay >= respondedBefore) continue;
      if (count > 0) counts.set(ms, (counts.get(ms) ?? 0) + count);
    }
  }
  return { ms: Float64Array.from(counts.keys()).sort(), counts };
}

/** Sets of exact first responses, a few at a time with a turn of the event loop between. */
export async function readResponses(
  store: ReadStore,
  ids: readonly string[],
  slicer: Slicer,
): Promise<ExactResponses> {
  const unique = [...new Set(ids)];
  const parsed = new Map<string, [Day, number, number][]>();
  for (let start = 0; start < unique.length; start += SETS_PER_READ) {
    const sets = await store.getCounters(
      KPI_RESPONSES_COLLECTION,
      unique.slice(start, start + SETS_PER_READ),
    );
    for (const set of sets) {
      const values: [Day, number, number][] = [];
      for (const [counter, count] of set.counters) {
        const split = counter.indexOf(':', 2);
        values.push([Number(counter.slice(2, split)), Number(counter.slice(split + 1)), count]);
      }
      parsed.set(set.id, values);
    }
    await slicer.tick();
  }
  return parsed;
}

const SETS_PER_READ = 32;
