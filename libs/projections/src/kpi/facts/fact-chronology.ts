import { compareCanonical, epochMs, type IsoInstant } from '../../shared/instant';
import type { KpiFactRef } from './kpi-facts.document';

/** Instants as epoch milliseconds: `from` inclusive, `to` exclusive. */
export type InstantRange = {
  readonly from: number;
  readonly to: number;
};

/** `YYYY-MM-DDTHH:mm:ss.sssZ`: fixed-width fields, so string order is time order. */
const CANONICAL_LENGTH = 24;

/**
 * Negative when instant `a` is earlier. Stored instants come from
 * canonicalInstant, which yields 24 characters for years 0000–9999 and the
 * 27-character `±YYYYYY-…` form outside them; only the latter is parsed, so
 * the usual comparison is a plain string comparison (the hot path of every
 * fold and query).
 */
export function compareInstants(a: IsoInstant, b: IsoInstant): number {
  if (a.length === CANONICAL_LENGTH && b.length === CANONICAL_LENGTH) return compareCanonical(a, b);
  return epochMs(a) - epochMs(b);
}

/** Negative when `a` happened first: occurredAt, then log position. */
export function compareFacts(a: KpiFactRef, b: KpiFactRef): number {
  return compareInstants(a.at, b.at) || a.position - b.position;
}

/**
 * Puts `fact` into `facts` (a fold's own working copy, already in history
 * order) after every fact not later than it: where a stable sort of the list
 * with `fact` appended would put it. Facts are mostly logged in time order,
 * so the usual case is one comparison and a push; a back-dated fact is placed
 * by binary search instead of re-sorting the list.
 */
export function insertInHistoryOrder<T extends KpiFactRef>(facts: T[], fact: T): void {
  const last = facts[facts.length - 1];
  if (last === undefined || compareFacts(last, fact) <= 0) {
    facts.push(fact);
    return;
  }
  facts.splice(firstLaterThan(facts, fact), 0, fact);
}

/** The index of the first fact later than `fact`; the list must hold one. */
function firstLaterThan<T extends KpiFactRef>(facts: readonly T[], fact: T): number {
  let low = 0;
  let high = facts.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareFacts(facts[middle] as T, fact) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The latest fact in history order, undefined when there is none. */
export function latestFact<T extends KpiFactRef>(facts: readonly T[]): T | undefined {
  return facts.reduce<T | undefined>(
    (latest, fact) => (latest === undefined || compareFacts(fact, latest) > 0 ? fact : latest),
    undefined,
  );
}

export function isBefore(instant: string, t: number): boolean {
  return epochMs(instant) < t;
}

export function isWithin(instant: string, range: InstantRange): boolean {
  const ms = epochMs(instant);
  return ms >= range.from && ms < range.to;
}

export function factsBefore<T extends KpiFactRef>(facts: readonly T[], t: number): T[] {
  return facts.filter((fact) => isBefore(fact.at, t));
}

export function factsWithin<T extends KpiFactRef>(facts: readonly T[], range: InstantRange): T[] {
  return facts.filter((fact) => isWithin(fact.at, range));
}
