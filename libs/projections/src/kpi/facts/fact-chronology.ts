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

/** A copy with `fact` placed in history order, whatever order facts arrive in. */
export function withFactInOrder<T extends KpiFactRef>(facts: readonly T[], fact: T): readonly T[] {
  return [...facts, fact].sort(compareFacts);
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
