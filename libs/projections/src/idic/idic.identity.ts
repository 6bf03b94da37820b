import { emailKey, phoneKey } from '@crm/domain';
import { fieldPresent, type FieldNormaliser } from '../shared';
import type { ProfileFacts } from './idic.document';

/** Lower-cased and trimmed (the caller trims); addresses differing only in case are one identity. */
export const normaliseEmail: FieldNormaliser = (trimmed) => emailKey(trimmed);

/** E.164, or null when the number carries no country code (see phoneKey in @crm/domain). */
export const normalisePhone: FieldNormaliser = (trimmed) => phoneKey(trimmed);

/** The read model keeps no copy of the name: its presence is all that is measured. */
export const presenceOnly: FieldNormaliser = () => null;

const PROFILE_FIELDS = ['name', 'email', 'phone', 'segment'] as const;

/** domain.md: share of {name, email, phone, segment} present. */
export function profileCompleteness(profile: ProfileFacts): number {
  const present = PROFILE_FIELDS.filter((field) => fieldPresent(profile[field])).length;
  return present / PROFILE_FIELDS.length;
}
