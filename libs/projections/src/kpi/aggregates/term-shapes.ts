import type { KpiFactRef, ProfileChangeFact } from '../facts/kpi-facts.document';
import { UNKNOWN_SEGMENT } from '../processes/segment-of';
import { type Day, dayOf } from './kpi-days';
import type { KpiTermSink } from './kpi-term-sink';

/**
 * The shapes of terms the processes' figures are made of (the algebra:
 * docs/projections.md, "KPIs from counters"). Days are whole UTC days;
 * "[y < T]" reads "day y is before the period's end", which for a period
 * bound on a day's start is exactly "the instant is before the bound".
 */

/** A segment from the day after `after` on (the statements of day `after` are before T = after + 1). */
export type SegmentPiece = { readonly after: Day; readonly segment: string };

/** The segment as of each day: pieces in time order, the first from the beginning of time. */
export function segmentPieces(changes: readonly ProfileChangeFact[]): SegmentPiece[] {
  const pieces: SegmentPiece[] = [{ after: Number.NEGATIVE_INFINITY, segment: UNKNOWN_SEGMENT }];
  let segment: string | null = null;
  forEachDay(changes, (day, ofDay) => {
    for (const change of ofDay) if (change.segment !== undefined) segment = change.segment;
    const current = segment ?? UNKNOWN_SEGMENT;
    if (pieces[pieces.length - 1]?.segment !== current) pieces.push({ after: day, segment: current });
  });
  return pieces;
}

/**
 * w·[F ≤ day < T] under the segment as of T. For the piece that holds T
 * (after < T ≤ next.after): [F ≤ day]·[day < T]·[after < T ≤ next] expands
 * into T-terms at max(day, after) and cross terms from `day`; pieces that
 * end before the day cancel out and are skipped.
 */
export function atSegment(
  sink: KpiTermSink,
  pieces: readonly SegmentPiece[],
  day: Day,
  w: number,
  metricOf: (segment: string) => string,
): void {
  pieces.forEach((piece, index) => {
    const next = pieces[index + 1];
    if (next !== undefined && next.after <= day) return;
    const metric = metricOf(piece.segment);
    const start = Math.max(day, piece.after);
    // The usual piece, begun by the day of the fact: [day < T] − [day < F], one W counter.
    if (start === day) sink.within(day, metric, w);
    else {
      sink.atTo(start, metric, w);
      sink.cross(day, start, metric, -w);
    }
    if (next === undefined) return;
    sink.atTo(next.after, metric, -w);
    sink.cross(day, next.after, metric, w);
  });
}

/**
 * Distinct customers with a fact in the period, from consecutive facts: a
 * customer counts once, at their first fact in the period, which is the one
 * whose predecessor is before F: [prev < F]·[F ≤ day < T].
 */
export function firstInPeriodTerms(days: readonly Day[], metric: string, sink: KpiTermSink): void {
  days.forEach((day, index) => {
    const previous = days[index - 1];
    // [prev < F]·[d < T] − [d < F] = ([prev < F] − [d < F])·[d < T], as prev ≤ d ≤ T.
    if (previous === undefined) sink.within(day, metric, 1);
    else sink.crossDifference(previous, day, day, metric, 1);
  });
}

/**
 * Pairs (start, end) in order, each inside the period when F ≤ start and
 * end < T; counts the customers with at least one pair inside: the first
 * pair inside is the one whose predecessor starts before F.
 */
export function firstPairInPeriodTerms(
  pairs: readonly { readonly start: Day; readonly end: Day }[],
  metric: string,
  sink: KpiTermSink,
): void {
  pairs.forEach((pair, index) => {
    const previous = pairs[index - 1];
    if (previous === undefined) {
      sink.atTo(pair.end, metric, 1);
      sink.cross(pair.start, pair.end, metric, -1);
    } else sink.crossDifference(previous.start, pair.start, pair.end, metric, 1);
  });
}

/**
 * A value of the customer's as of each day after registration (0 before),
 * as T-terms of its changes: `steps` has one entry per day, ascending, the
 * value at the end of that day. A customer counts from T = registered + 1.
 */
export function stepTerms(
  registered: Day,
  steps: readonly { readonly day: Day; readonly value: number }[],
  metric: string,
  sink: KpiTermSink,
): void {
  let current = 0;
  let index = 0;
  for (; index < steps.length && (steps[index] as { day: Day }).day <= registered; index++) {
    current = (steps[index] as { value: number }).value;
  }
  sink.atTo(registered, metric, current);
  for (const { day, value } of steps.slice(index)) {
    sink.atTo(day, metric, value - current);
    current = value;
  }
}

/** Calls `visit` once per day of the facts (history order), with that day's facts. */
export function forEachDay<T extends KpiFactRef>(
  facts: readonly T[],
  visit: (day: Day, ofDay: readonly T[]) => void,
): void {
  let day: Day | undefined;
  let ofDay: T[] = [];
  for (const fact of facts) {
    const factDay = dayOf(fact.at);
    if (day !== undefined && factDay !== day) {
      visit(day, ofDay);
      ofDay = [];
    }
    day = factDay;
    ofDay.push(fact);
  }
  if (day !== undefined) visit(day, ofDay);
}
