/**
 * The one instant format the API accepts: RFC 3339 date-time with an offset
 * (`Z` or `±hh:mm`), seconds required, at most millisecond precision, so an
 * instant means the same moment everywhere and is stored exactly as sent.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An example of the accepted format, for error messages. */
export const INSTANT_EXAMPLE = '2024-05-01T10:00:00Z';

/** Why a string is not an accepted instant, or null when it is one. */
export type InstantProblem = 'missingOffset' | 'maxPrecision' | 'isRfc3339';

/**
 * True for an instant in the accepted format that names a real calendar
 * day: `Date` would silently roll 2025-02-30 over to March.
 */
export function isValidInstant(raw: string): boolean {
  return instantProblem(raw) === null;
}

export function instantProblem(raw: string): InstantProblem | null {
  const match = INSTANT.exec(raw);
  if (!match) {
    if (/T[\d:.]+$/.test(raw) || /^\d{4}-\d{2}-\d{2}$/.test(raw)) return 'missingOffset';
    if (/\.\d{4,}(Z|[+-]\d{2}:\d{2})$/.test(raw)) return 'maxPrecision';
    return 'isRfc3339';
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  return realDay && !Number.isNaN(Date.parse(raw)) ? null : 'isRfc3339';
}

/** What to tell a client about `field` for each problem. */
export function instantMessage(field: string, problem: InstantProblem): string {
  switch (problem) {
    case 'missingOffset':
      return `${field} needs a time and a UTC offset, e.g. ${INSTANT_EXAMPLE}`;
    case 'maxPrecision':
      return `${field} has at most millisecond precision (3 fractional digits)`;
    case 'isRfc3339':
      return `${field} must be an RFC 3339 instant such as ${INSTANT_EXAMPLE} or 2024-05-01T12:00:00.123+02:00`;
  }
}
