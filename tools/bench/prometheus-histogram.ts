/** One Prometheus histogram as scraped: cumulative counts by upper bound (`le`), +Inf last. */
export type HistogramScrape = {
  readonly buckets: readonly (readonly [number, number])[];
  readonly count: number;
};

/** Reads histogram `name` from Prometheus text format; no buckets when it is absent. */
export function parseHistogram(text: string, name: string): HistogramScrape {
  const buckets: [number, number][] = [];
  const prefix = `${name}_bucket{le="`;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix)) {
      const close = line.indexOf('"}', prefix.length);
      const le = line.slice(prefix.length, close);
      buckets.push([le === '+Inf' ? Infinity : Number(le), Number(line.slice(close + 3))]);
    } else if (line.startsWith(`${name}_count `)) {
      count = Number(line.slice(name.length + 7));
    }
  }
  return { buckets: buckets.sort((a, b) => a[0] - b[0]), count };
}

/** What was observed between two scrapes of the same histogram (after minus before, bucket by bucket). */
export function histogramDelta(before: HistogramScrape, after: HistogramScrape): HistogramScrape {
  const earlier = new Map(before.buckets);
  return {
    buckets: after.buckets.map(([le, cumulative]) => [le, cumulative - (earlier.get(le) ?? 0)] as const),
    count: after.count - before.count,
  };
}

/**
 * The q-quantile as Prometheus's histogram_quantile estimates it: linear
 * within the bucket the rank falls in (from 0 for the first), the highest
 * finite bound when it falls in +Inf; null without observations.
 */
export function histogramQuantile(q: number, { buckets, count }: HistogramScrape): number | null {
  if (count <= 0) return null;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lowerBound;
      const inBucket = cumulative - lowerCount;
      return inBucket === 0 ? le : lowerBound + ((le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    if (le !== Infinity) lowerBound = le;
    lowerCount = cumulative;
  }
  return lowerBound;
}
