import {
  type CrmEvent,
  type CustomerKind,
  type CustomerProfileUpdatedData,
  emailKey,
  ERASED_VALUE,
  PROFILE_FIELDS,
  type ProfileField,
  phoneKey,
} from '@crm/domain';

type FieldValue = CustomerProfileUpdatedData[ProfileField];

/** The current value of one profile field and when it was stated. */
export type StatedField = { readonly value: FieldValue | null; readonly changedAt: string };

/** The latest `ConsentChanged` of one purpose. */
export type ConsentState = { readonly granted: boolean; readonly changedAt: string };

/**
 * A customer's current profile (domain.md: the registration folded with its
 * updates; consent per purpose is the latest ConsentChanged). Personal
 * values are as the event store hands them back: decrypted, or `[erased]`.
 */
export type CustomerProfileState = {
  readonly customerId: string;
  readonly kind: CustomerKind;
  readonly registeredAt: string;
  readonly fields: Readonly<Record<ProfileField, StatedField | null>>;
  readonly consents: Readonly<Record<string, ConsentState>>;
  readonly erasedAt: string | null;
};

/** Normalised identity keys; null when absent, not normalisable, or erased. */
export type IdentityKeysView = { readonly email: string | null; readonly phone: string | null };

const NO_FIELDS: Record<ProfileField, StatedField | null> = {
  name: null,
  email: null,
  phone: null,
  segment: null,
  acquisitionChannel: null,
  attributes: null,
};

/**
 * Folds a customer's events, in stream order, into the current profile; null
 * before registration. "Latest" is the greatest `occurredAt`, ties going to
 * the later event (domain.md), as in the IDIC and KPI projections, so an
 * update recorded late with an earlier `occurredAt` does not win.
 */
export function foldCustomerProfile(events: Iterable<CrmEvent>): CustomerProfileState | null {
  let state: CustomerProfileState | null = null;
  for (const event of events) state = evolveCustomerProfile(state, event);
  return state;
}

/** The only events that change a profile: a profile read asks the store for these alone. */
export const PROFILE_EVENT_TYPES = [
  'CustomerRegistered',
  'CustomerProfileUpdated',
  'ConsentChanged',
  'CustomerErased',
] as const satisfies readonly CrmEvent['type'][];

export function evolveCustomerProfile(
  state: CustomerProfileState | null,
  event: CrmEvent,
): CustomerProfileState | null {
  if (event.type === 'CustomerRegistered') {
    if (state !== null) return state;
    const { customerId, kind } = event.data;
    const fields = stated(NO_FIELDS, event.data, event.occurredAt);
    return { customerId, kind, registeredAt: event.occurredAt, fields, consents: {}, erasedAt: null };
  }
  if (state === null) return null;
  switch (event.type) {
    case 'CustomerProfileUpdated':
      return { ...state, fields: stated(state.fields, event.data, event.occurredAt) };
    case 'ConsentChanged': {
      const { purpose, granted } = event.data;
      const current = Object.hasOwn(state.consents, purpose) ? state.consents[purpose] : undefined;
      if (current !== undefined && current.changedAt > event.occurredAt) return state;
      return {
        ...state,
        consents: { ...state.consents, [purpose]: { granted, changedAt: event.occurredAt } },
      };
    }
    case 'CustomerErased':
      return { ...state, erasedAt: state.erasedAt ?? event.occurredAt };
    default:
      return state;
  }
}

function stated(
  fields: Readonly<Record<ProfileField, StatedField | null>>,
  data: CustomerProfileUpdatedData,
  occurredAt: string,
): Record<ProfileField, StatedField | null> {
  const next = { ...fields };
  for (const field of PROFILE_FIELDS) {
    const value = data[field];
    if (value === undefined) continue;
    const current = next[field];
    // ISO instants in UTC with milliseconds (the edge writes no other) compare as strings.
    if (current !== null && current.changedAt > occurredAt) continue;
    next[field] = { value, changedAt: occurredAt };
  }
  return next;
}

/** The current value of a field (null when never stated or cleared). */
export function fieldOf(state: CustomerProfileState, field: ProfileField): FieldValue | null {
  return state.fields[field]?.value ?? null;
}

export function identityKeysOf(state: CustomerProfileState): IdentityKeysView {
  const email = fieldOf(state, 'email');
  const phone = fieldOf(state, 'phone');
  const usable = (value: unknown): value is string => typeof value === 'string' && value !== ERASED_VALUE;
  return {
    email: usable(email) ? emailKey(email) : null,
    phone: usable(phone) ? phoneKey(phone) : null,
  };
}
