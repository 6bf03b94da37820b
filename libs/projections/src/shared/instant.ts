/** Instants are kept as ISO-8601 strings so documents stay plain JSON. */
export type IsoInstant = string;

/** The moment a query is evaluated at; projections never read the clock. */
export type AsOf = Date | IsoInstant;

export const DAY_MS = 86_400_000;

/**
 * Parsed instants, because evolve compares the same stored instants over and
 * over (a rebuild spent a fifth of its time in Date.parse). Bounded: cleared
 * when full, which only costs re-parsing.
 */
const parsed = new Map<string, number>();
const PARSED_CAPACITY = 100_000;

/** Milliseconds since the epoch; throws on an unparseable instant rather than computing with NaN. */
export function epochMs(instant: AsOf): number {
  if (typeof instant !== 'string') return checked(instant.getTime(), instant);
  const known = parsed.get(instant);
  if (known !== undefined) return known;
  const ms = checked(Date.parse(instant), instant);
  if (parsed.size >= PARSED_CAPACITY) parsed.clear();
  parsed.set(instant, ms);
  return ms;
}

function checked(ms: number, instant: AsOf): number {
  if (Number.isNaN(ms)) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return ms;
}

/** Canonical instants (see canonicalInstant) in time order, without parsing: their string order is their time order. */
export function compareCanonical(a: IsoInstant, b: IsoInstant): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical UTC form (`2024-01-01T09:00:00.000Z`). Stored instants are
 * canonical so that two documents built from the same facts are equal and
 * string order matches time order.
 */
export function canonicalInstant(instant: AsOf): IsoInstant {
  // Stored events are already canonical (the API normalises occurredAt): skip the parse and format.
  if (typeof instant === 'string' && isCanonical(instant)) return instant;
  return new Date(epochMs(instant)).toISOString();
}

/**
 * Only what toISOString itself writes may skip the parse, or string order
 * would stop being time order: Date reads 2025-02-30 as 2 March and T24:00
 * as the next day. So every field must be in range, the day one the month has.
 */
function isCanonical(instant: string): boolean {
  if (!CANONICAL.test(instant)) return false;
  const day = Number(instant.slice(8, 10));
  return day <= 28 || day <= daysInMonth(Number(instant.slice(0, 4)), Number(instant.slice(5, 7)));
}

const CANONICAL = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Time order of two instants, negative when `a` is earlier. Two canonical
 * instants of the years 0000–9999 (every instant a projection stores went
 * through canonicalInstant) compare as strings, whose order is their time
 * order, without parsing: evolve compares instants on nearly every event.
 * Anything else, such as an offset or a six-digit year, is parsed.
 */
export function compareInstants(a: IsoInstant, b: IsoInstant): number {
  if (hasCanonicalShape(a) && hasCanonicalShape(b)) return a < b ? -1 : a > b ? 1 : 0;
  return epochMs(a) - epochMs(b);
}

/**
 * The punctuation of `2024-01-01T09:00:00.000Z`, checked by character
 * codes because it runs on every comparison. Among the strings Date reads,
 * only canonical ones have it, save a day the month lacks (2025-02-30) and
 * T24:00, which canonicalInstant never returns.
 */
function hasCanonicalShape(instant: IsoInstant): boolean {
  return (
    instant.length === 24 &&
    instant.charCodeAt(10) === 84 && // T
    instant.charCodeAt(19) === 46 && // .
    instant.charCodeAt(23) === 90 // Z
  );
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function wholeDaysBetween(from: AsOf, to: AsOf): number {
  return Math.floor((epochMs(to) - epochMs(from)) / DAY_MS);
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function utcDay(instant: AsOf): string {
  return canonicalInstant(instant).slice(0, 10);
}

export function earlierInstant(a: IsoInstant | null, b: IsoInstant): IsoInstant {
  return a === null || compareInstants(b, a) < 0 ? b : a;
}

export function laterInstant(a: IsoInstant | null, b: IsoInstant): IsoInstant {
  return a === null || compareInstants(b, a) > 0 ? b : a;
}
