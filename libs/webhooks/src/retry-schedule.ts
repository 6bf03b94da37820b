/**
 * How long to wait after attempt `attempt` failed: a ceiling doubling from
 * `baseMs` up to `maxMs`, and a random wait between half of it and all of it
 * ("equal jitter"), so that many deliveries failing together do not retry
 * together, and none retries at once.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
