import { type CustomerKind, emailKey, ERASED_VALUE, type ErrorDetail, phoneKey } from '@crm/domain';
import { RequestValidationError } from '@crm/platform';
import {
  type BlindIndex,
  type CustomerProfileState,
  fieldOf,
  type IdentityMatch,
  identityKeysOf,
  JOURNEY_STAGES,
  type JourneyStage,
  NAME_PREFIX_FIELDS,
  NAME_PREFIX_MAX,
  nameSearchKey,
  SEGMENT_SORTS,
  type SegmentQuery,
  type SegmentSort,
  VALUE_TIERS,
  type ValueTier,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { choiceParam, parseAsOf, parseLimit, singleParam } from '../shared/query-params';

/** Every query parameter of GET /customers; any other is refused, so a typo never widens a list silently. */
export const LIST_CUSTOMERS_PARAMS = [
  'valueTier',
  'stage',
  'kind',
  'segment',
  'q',
  'email',
  'phone',
  'sort',
  'limit',
  'cursor',
  'asOf',
  'minPosition',
] as const;

export const CUSTOMER_KINDS: readonly CustomerKind[] = ['person', 'company'];

/** Longest `q` and `segment` accepted (a name prefix; a segment name). */
export const MAX_SEARCH_LENGTH = 200;
/** Longest `email` accepted (RFC 5321 allows 254 in a path; some stores keep 320). */
export const MAX_EMAIL_LENGTH = 320;

/**
 * What the caller is looking for by personal data, normalised as the
 * identity index was (emailKey, phoneKey, nameSearchKey). Never stored:
 * the blind index is asked for one entry, and each customer it returns is
 * checked against their decrypted profile.
 */
export type IdentityNeedles = {
  readonly email?: string;
  readonly phone?: string;
  readonly namePrefix?: string;
};

export type ListCustomersRequest = {
  readonly query: SegmentQuery;
  readonly needles: IdentityNeedles;
  /** The instant `status` is evaluated at (canonical ISO). */
  readonly asOf: string;
  readonly minPosition: unknown;
};

/** Validates the query string of GET /customers (400 VALIDATION.FAILED naming the field). */
export function parseListCustomers(
  raw: Readonly<Record<string, unknown>>,
  now: Date,
  blind: BlindIndex,
): ListCustomersRequest {
  const unknown = Object.keys(raw).filter(
    (field) => !(LIST_CUSTOMERS_PARAMS as readonly string[]).includes(field),
  );
  if (unknown.length > 0) {
    throw new RequestValidationError(
      unknown.map((field) => ({
        field,
        code: 'whitelistValidation',
        message: `unknown query parameter ${field}; known: ${LIST_CUSTOMERS_PARAMS.join(', ')}`,
      })),
    );
  }
  const needles = parseNeedles(raw);
  const sort = choiceParam<SegmentSort>('sort', raw.sort, SEGMENT_SORTS);
  const identity = identityMatchOf(needles, blind);
  if (identity !== undefined && sort !== undefined && !sort.endsWith('customerId')) {
    throw invalid({
      field: 'sort',
      code: 'isIn',
      message: 'with email, phone or q the list is sorted by customerId or -customerId',
    });
  }
  const segment = singleParam('segment', raw.segment);
  tooLong('segment', segment, MAX_SEARCH_LENGTH);
  const asOf = parseAsOf(raw.asOf, now);
  const query: SegmentQuery = {
    valueTier: choiceParam<ValueTier>('valueTier', raw.valueTier, VALUE_TIERS),
    stage: choiceParam<JourneyStage>('stage', raw.stage, JOURNEY_STAGES),
    kind: choiceParam<CustomerKind>('kind', raw.kind, CUSTOMER_KINDS),
    segment,
    identity,
    sort,
    limit: parseLimit(raw.limit, 100, MAX_LIMIT),
    cursor: singleParam('cursor', raw.cursor),
    asOf,
  };
  return { query, needles, asOf, minPosition: raw.minPosition };
}

function parseNeedles(raw: Readonly<Record<string, unknown>>): IdentityNeedles {
  const email = singleParam('email', raw.email);
  const phone = singleParam('phone', raw.phone);
  const q = singleParam('q', raw.q);
  const needles: { email?: string; phone?: string; namePrefix?: string } = {};
  tooLong('email', email, MAX_EMAIL_LENGTH);
  tooLong('q', q, MAX_SEARCH_LENGTH);
  if (email !== undefined) {
    const key = emailKey(email);
    if (key === null)
      throw invalid({
        field: 'email',
        code: 'isNotEmpty',
        message: 'email is a non-blank address',
      });
    needles.email = key;
  }
  if (phone !== undefined) {
    const key = phoneKey(phone);
    if (key === null) {
      throw invalid({
        field: 'phone',
        code: 'isPhoneNumber',
        message:
          'phone is an international number: + or 00, the country code and the number, e.g. +44 20 7946 0958',
      });
    }
    needles.phone = key;
  }
  if (q !== undefined) {
    const key = nameSearchKey(q);
    if (key === null)
      throw invalid({
        field: 'q',
        code: 'isNotEmpty',
        message: 'q is a non-blank name prefix',
      });
    needles.namePrefix = key;
  }
  return needles;
}

/**
 * The one blind index entry the list is paged by: the email's, else the
 * phone's, else the name prefix's (its first NAME_PREFIX_MAX characters
 * when longer; the rest is checked on the decrypted name).
 */
function identityMatchOf(needles: IdentityNeedles, blind: BlindIndex): IdentityMatch | undefined {
  if (needles.email !== undefined) return { field: 'email', entry: blind.entry('email', needles.email) };
  if (needles.phone !== undefined) return { field: 'phone', entry: blind.entry('phone', needles.phone) };
  if (needles.namePrefix === undefined) return undefined;
  const chars = Array.from(needles.namePrefix).slice(0, NAME_PREFIX_MAX);
  const field = NAME_PREFIX_FIELDS[chars.length - 1];
  return field === undefined ? undefined : { field, entry: blind.entry('name', chars.join('')) };
}

/**
 * Whether a customer's decrypted profile has what was looked for: an index
 * entry found is never trusted alone (a longer name prefix than the index
 * holds, an entry of a value changed meanwhile, a collision).
 */
export function profileMatches(profile: CustomerProfileState | undefined, needles: IdentityNeedles): boolean {
  if (needles.email === undefined && needles.phone === undefined && needles.namePrefix === undefined)
    return true;
  if (profile === undefined) return false;
  const keys = identityKeysOf(profile);
  if (needles.email !== undefined && keys.email !== needles.email) return false;
  if (needles.phone !== undefined && keys.phone !== needles.phone) return false;
  if (needles.namePrefix !== undefined) {
    const name = nameOf(profile);
    const key = name === null || name === ERASED_VALUE ? null : nameSearchKey(name);
    if (key === null || !key.startsWith(needles.namePrefix)) return false;
  }
  return true;
}

/** The current name, decrypted (`[erased]` after erasure), or null. */
export function nameOf(profile: CustomerProfileState | undefined): string | null {
  if (profile === undefined) return null;
  const name = fieldOf(profile, 'name');
  return typeof name === 'string' ? name : null;
}

function tooLong(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max)
    throw invalid({ field, code: 'maxLength', message: `${field} is at most ${max} characters` });
}

function invalid(detail: ErrorDetail): RequestValidationError {
  return new RequestValidationError([detail]);
}
