import { epochMs } from '../../shared/instant';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { type Day, dayOf, dayOfMs } from './kpi-days';
import type { KpiTermSink } from './kpi-term-sink';

/** The populations of retention (value creation) and conversion (performance assessment). */
export const RETENTION_METRIC = {
  activeAtTo: 'actT',
  activeAtFrom: 'actF',
  retained: 'ret',
  newcomers: 'newc',
  prospects: 'pros',
} as const;

/**
 * Active at t: registered before t with a purchase in [t − window, t). For
 * a day t that is every t in [max(day(p), registered) + 1, ⌊(p + window) / day⌋]:
 * the purchases give intervals, merged. Retained (active at F and at T) is
 * Σ over pairs of intervals i ≤ k of [F ∈ I_i]·[T ∈ I_k].
 */
export function retentionTerms(
  doc: KpiFactsDocument,
  registered: Day,
  churnWindowMs: number,
  sink: KpiTermSink,
): void {
  const intervals = activeIntervals(doc, registered, churnWindowMs);
  for (const { start, end } of intervals) {
    sink.atTo(start - 1, RETENTION_METRIC.activeAtTo, 1);
    sink.atTo(end, RETENTION_METRIC.activeAtTo, -1);
    sink.atFrom(start - 1, RETENTION_METRIC.activeAtFrom, 1);
    sink.atFrom(end, RETENTION_METRIC.activeAtFrom, -1);
  }
  intervals.forEach((first, i) => {
    // i = k: [start ≤ F]·[T ≤ end], as F ≤ T.
    sink.atFrom(first.start - 1, RETENTION_METRIC.retained, 1);
    sink.cross(first.start - 1, first.end, RETENTION_METRIC.retained, -1);
    for (const second of intervals.slice(i + 1)) {
      sink.cross(first.start - 1, second.start - 1, RETENTION_METRIC.retained, 1);
      sink.cross(first.start - 1, second.end, RETENTION_METRIC.retained, -1);
      sink.cross(first.end, second.start - 1, RETENTION_METRIC.retained, -1);
      sink.cross(first.end, second.end, RETENTION_METRIC.retained, 1);
    }
  });
  // Newcomers: at T with their first purchase in [F, T); prospects: at T, no purchase before F.
  sink.atTo(registered, RETENTION_METRIC.prospects, 1);
  const first = doc.purchases[0];
  if (first === undefined) return;
  const firstDay = dayOf(first.at);
  sink.atTo(Math.max(registered, firstDay), RETENTION_METRIC.newcomers, 1);
  sink.cross(firstDay, registered, RETENTION_METRIC.newcomers, -1);
  sink.cross(firstDay, registered, RETENTION_METRIC.prospects, -1);
}

function activeIntervals(
  doc: KpiFactsDocument,
  registered: Day,
  churnWindowMs: number,
): { start: Day; end: Day }[] {
  const merged: { start: Day; end: Day }[] = [];
  for (const purchase of doc.purchases) {
    const ms = epochMs(purchase.at);
    const start = Math.max(dayOfMs(ms), registered) + 1;
    const end = dayOfMs(ms + churnWindowMs);
    if (end < start) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last.end + 1) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}
