/** A ratio whose denominator is empty is unknown, never 0 or NaN (domain.md). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The ratio as a percentage; multiplying first keeps whole-number results exact. */
export function percentage(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : (100 * numerator) / denominator;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function mean(values: readonly number[]): number | null {
  return ratio(sum(values), values.length);
}

/** The middle value; for an even count the mean of the middle two. */
export function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)];
  if (upper === undefined) return null;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[sorted.length / 2 - 1] ?? upper;
  return (lower + upper) / 2;
}

/**
 * Sums `amountOf` per key. Keys are client data (segments), so they are
 * collected in a Map and written as own properties: `__proto__` stays a key.
 */
export function totalsBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  amountOf: (item: T) => number = () => 1,
): Record<string, number> {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(keyOf(item), (totals.get(keyOf(item)) ?? 0) + amountOf(item));
  return Object.fromEntries(totals);
}
