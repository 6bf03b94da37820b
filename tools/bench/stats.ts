/** Latency summary in milliseconds; percentiles by nearest rank. */
export type LatencySummary = { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };

export function summarise(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number): number => {
    if (sorted.length === 0) return 0;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return round(sorted[index] ?? 0);
  };
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

/** The middle item by `key` (of an even count, the lower middle one: no run better than half the runs). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new RangeError('the median of no items');
  return middle;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Runs `total` tasks with at most `concurrency` in flight; returns each task's latency. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  onProgress?: (done: number) => void,
): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = new Array<number>(total);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const begin = performance.now();
      await task(index);
      latenciesMs[index] = performance.now() - begin;
      done++;
      if (onProgress && done % 5000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latenciesMs, elapsedMs: performance.now() - started };
}

/**
 * Like runConcurrently, but starts no task once `stop()` holds (a time
 * budget, or the end of the measurement a loop runs beside): returns the
 * latencies of the tasks that ran, in the order they finished.
 */
export async function runBounded(
  total: number,
  concurrency: number,
  stop: () => boolean,
  task: (index: number) => Promise<void>,
): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total && !stop()) {
      const index = next++;
      const begin = performance.now();
      await task(index);
      latenciesMs.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latenciesMs, elapsedMs: performance.now() - started };
}
