/** Date and time with an explicit offset (Z or ±hh:mm), so an instant means the same moment everywhere. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * True for an ISO-8601 instant with an offset that names a real calendar
 * day: `Date` would silently roll 2025-02-30 over to March.
 */
export function isValidInstant(raw: string): boolean {
  const match = INSTANT.exec(raw);
  if (!match || Number.isNaN(Date.parse(raw))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day
  );
}
