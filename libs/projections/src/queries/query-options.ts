import { DEFAULT_CHURN_WINDOW_DAYS } from '../journey/journey.status';
import { type AsOf, canonicalInstant, type IsoInstant } from '../shared/instant';

/** What every query service may be configured with. */
export type QueryOptions = {
  /** How long after the last purchase a customer still counts as active; default 180 (domain.md). */
  readonly churnWindowDays?: number;
  /**
   * The instant used when a call gives no `asOf`. The HTTP layer passes its
   * own clock's reading on every call; this default only serves other callers.
   */
  readonly now?: () => Date;
};

export type ResolvedQueryOptions = {
  readonly churnWindowDays: number;
  readonly now: () => Date;
};

export function resolveQueryOptions(options: QueryOptions = {}): ResolvedQueryOptions {
  const churnWindowDays = options.churnWindowDays ?? DEFAULT_CHURN_WINDOW_DAYS;
  if (!Number.isFinite(churnWindowDays) || churnWindowDays < 0) {
    throw new RangeError(`churnWindowDays must be a non-negative number, got ${churnWindowDays}`);
  }
  return { churnWindowDays, now: options.now ?? (() => new Date()) };
}

/** The asOf a query is evaluated at, canonical; RangeError when unparseable. */
export function asOfOrNow(asOf: AsOf | undefined, options: ResolvedQueryOptions): IsoInstant {
  return canonicalInstant(asOf ?? options.now());
}
