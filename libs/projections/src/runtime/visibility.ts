import { Histogram } from 'prom-client';
import type { Metrics } from '@crm/platform';

/** Fine where read-your-writes waits are judged (tens of milliseconds), coarse beyond a second. */
const VISIBLE_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5,
  10, 30, 60,
];

/**
 * `crm_projection_visible_seconds`: for each event the embedded runtime
 * applies, the time from its commit to the log (`recordedAt`) until reads
 * in this process see it in every read model — when the thread serving
 * HTTP learns the new position, the moment a read with `minPosition`
 * stops waiting. An event the runner catches up on after a restart counts
 * with its whole wait. Returns what the hosts call with the commit times.
 */
export function visibilityObserver(
  metrics: Metrics,
  now: () => number = Date.now,
): (committedAtMs: readonly number[]) => void {
  const histogram = new Histogram({
    name: 'crm_projection_visible_seconds',
    help: 'Time from an event’s commit to the log until this process’s reads see it in every read model (embedded runtime)',
    buckets: VISIBLE_BUCKETS,
    registers: [metrics.registry],
  });
  return (committedAtMs) => {
    const at = now();
    for (const committedAt of committedAtMs) histogram.observe(Math.max(0, at - committedAt) / 1000);
  };
}
