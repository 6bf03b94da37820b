/**
 * Identity keys (domain.md, "Customer profile, consent and identity"): the
 * normalised email and phone. Two customers sharing one are duplicate
 * candidates; lookups by email or phone compare these, never the raw input.
 */
export type IdentityKeyKind = 'email' | 'phone';

/** Trimmed and lower-cased; null when blank. */
export function emailKey(raw: string): string | null {
  const trimmed = raw.trim();
  return trimmed.length > 0 ? trimmed.toLowerCase() : null;
}

/** Spacing and punctuation people type inside phone numbers. */
const PHONE_SEPARATORS = /[\s\-./()]/g;
/** The national trunk prefix written inside an international number, as in `+49 (0)30 …`. */
const TRUNK_ZERO = /\(0\)/g;
/** E.164: a country code never starts with 0; at most 15 digits in all. */
const E164_DIGITS = /^[1-9]\d{6,14}$/;

/**
 * E.164 keeps a leading `+` and the digits. `00` is the international call
 * prefix in most of the world, so it is read as `+`. A number with neither
 * carries no country code, and guessing one would merge identities across
 * countries, so it yields null. Letters, such as an extension, make it null
 * too. Deliberately small: it checks the shape of E.164, not that the
 * country code or the number plan exists (libphonenumber would).
 */
export function phoneKey(raw: string): string | null {
  const compact = raw.trim().replace(TRUNK_ZERO, '').replace(PHONE_SEPARATORS, '');
  const digits = internationalDigits(compact);
  return digits !== null && E164_DIGITS.test(digits) ? `+${digits}` : null;
}

function internationalDigits(compact: string): string | null {
  if (compact.startsWith('+')) return compact.slice(1);
  if (compact.startsWith('00')) return compact.slice(2);
  return null;
}

export function identityKey(kind: IdentityKeyKind, raw: string): string | null {
  return kind === 'email' ? emailKey(raw) : phoneKey(raw);
}
