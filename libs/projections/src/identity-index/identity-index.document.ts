import type { ProjectionDocument } from '../shared/projected-event';

/** The identity index read model: one document per customer, only HMACs (BlindIndex), never a value. */
export const IDENTITY_INDEX_COLLECTION = 'identity_index';

/** Document fields of the name prefixes: `name1` holds the entry of the first character, and so on. */
export const NAME_PREFIX_FIELDS = ['name1', 'name2', 'name3', 'name4', 'name5', 'name6'] as const;
export type NamePrefixField = (typeof NAME_PREFIX_FIELDS)[number];

/**
 * Blind index entries of one customer's current email, phone and name
 * prefixes (null: none, cleared, or not normalisable), each with the
 * `occurredAt` of the event that stated it, so that an update recorded
 * late with an earlier `occurredAt` does not win (as in the profile fold).
 */
export type IdentityIndexDocument = ProjectionDocument &
  Readonly<Record<NamePrefixField, string | null>> & {
    readonly customerId: string;
    readonly email: string | null;
    readonly emailAt: string | null;
    readonly phone: string | null;
    readonly phoneAt: string | null;
    readonly nameAt: string | null;
  };
