import { RequestValidationError } from '@crm/platform';

/** Refuses any query parameter a route does not know (400 naming each), so a typo never widens a read silently. */
export function rejectUnknownParams(raw: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  const unknown = Object.keys(raw).filter((field) => !known.includes(field));
  if (unknown.length === 0) return;
  throw new RequestValidationError(
    unknown.map((field) => ({
      field,
      code: 'whitelistValidation',
      message: `unknown query parameter ${field}; known: ${known.join(', ')}`,
    })),
  );
}
