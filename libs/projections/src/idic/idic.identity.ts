import { fieldPresent, type FieldNormaliser } from '../shared';
import type { ProfileFacts } from './idic.document';

/** Lower-cased and trimmed (the caller trims); addresses differing only in case are one identity. */
export const normaliseEmail: FieldNormaliser = (trimmed) => trimmed.toLowerCase();

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
 * countries, so it yields null (the phone still counts as present for
 * completeness). Letters, such as an extension, make it null too.
 */
export const normalisePhone: FieldNormaliser = (trimmed) => {
  const compact = trimmed.replace(TRUNK_ZERO, '').replace(PHONE_SEPARATORS, '');
  const digits = internationalDigits(compact);
  return digits !== null && E164_DIGITS.test(digits) ? `+${digits}` : null;
};

function internationalDigits(compact: string): string | null {
  if (compact.startsWith('+')) return compact.slice(1);
  if (compact.startsWith('00')) return compact.slice(2);
  return null;
}

/** The read model keeps no copy of the name: its presence is all that is measured. */
export const presenceOnly: FieldNormaliser = () => null;

const PROFILE_FIELDS = ['name', 'email', 'phone', 'segment'] as const;

/** domain.md: share of {name, email, phone, segment} present. */
export function profileCompleteness(profile: ProfileFacts): number {
  const present = PROFILE_FIELDS.filter((field) => fieldPresent(profile[field])).length;
  return present / PROFILE_FIELDS.length;
}
