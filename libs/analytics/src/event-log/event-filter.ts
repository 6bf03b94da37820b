import { CRM_EVENT_TYPES, type CrmEventType, type ErrorDetail, isCrmEventType } from '@crm/domain';
import { isValidInstant } from '@crm/platform/instant';

/**
 * Which events of the global log a replay (GET /events, `crm export`) hands
 * out. Every bound is optional; together they are an AND.
 */
export type EventFilter = {
  /** Only these catalogue types. */
  readonly types?: readonly CrmEventType[];
  /** Only the stream `customer-<customerId>`. */
  readonly customerId?: string;
  /** occurredAt ≥ this instant (canonical ISO). */
  readonly occurredFrom?: string;
  /** occurredAt < this instant (canonical ISO): half-open, like a KPI period. */
  readonly occurredTo?: string;
  /** position > this (exclusive), so the last position seen resumes a replay. */
  readonly afterPosition?: number;
  /** position ≤ this (inclusive). */
  readonly toPosition?: number;
  /** At most this many events. */
  readonly limit?: number;
};

export type ParsedFilter = { ok: true; filter: EventFilter } | { ok: false; details: ErrorDetail[] };

export const EVENT_FILTER_FIELDS = [
  'types',
  'customerId',
  'occurredFrom',
  'occurredTo',
  'afterPosition',
  'toPosition',
  'limit',
] as const;

const POSITION = /^\d{1,15}$/;
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * Validates raw filter values (query parameters or CLI flags, all strings)
 * and reports every bad field at once. Unknown fields are rejected, like
 * unknown body fields elsewhere: a typo must not silently widen an export.
 */
export function parseEventFilter(raw: Readonly<Record<string, unknown>>): ParsedFilter {
  const details: ErrorDetail[] = [];
  const bad = (field: string, code: string, message: string): undefined => {
    details.push({ field, code, message });
    return undefined;
  };
  for (const field of Object.keys(raw)) {
    if (!(EVENT_FILTER_FIELDS as readonly string[]).includes(field))
      bad(field, 'whitelistValidation', `unknown filter ${field}; known: ${EVENT_FILTER_FIELDS.join(', ')}`);
  }
  const text = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return bad(field, 'single', `${field} may be given once`);
    return value;
  };
  const instant = (field: string): string | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    if (!isValidInstant(value))
      return bad(
        field,
        'isISO8601',
        `${field} is an ISO-8601 instant with an offset, e.g. 2025-06-01T00:00:00Z`,
      );
    return new Date(value).toISOString();
  };
  const integer = (field: string, min: number): number | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    if (!POSITION.test(value) || Number(value) < min)
      return bad(field, 'isInt', `${field} is an integer ≥ ${min}`);
    return Number(value);
  };

  const filter: Mutable<EventFilter> = {};
  const types = text('types');
  if (types !== undefined) {
    const list = types.split(',').map((type) => type.trim());
    const unknown = list.filter((type) => !isCrmEventType(type));
    if (unknown.length > 0)
      bad('types', 'isIn', `unknown event type ${unknown.join(', ')}; one of: ${CRM_EVENT_TYPES.join(', ')}`);
    else filter.types = [...new Set(list as CrmEventType[])];
  }
  const customerId = text('customerId');
  if (customerId !== undefined) {
    if (CUSTOMER_ID.test(customerId)) filter.customerId = customerId;
    else bad('customerId', 'customerIdFormat', 'customerId is 1-128 characters of letters, digits and _.:@-');
  }
  filter.occurredFrom = instant('occurredFrom');
  filter.occurredTo = instant('occurredTo');
  filter.afterPosition = integer('afterPosition', 0);
  filter.toPosition = integer('toPosition', 0);
  filter.limit = integer('limit', 1);
  if (
    filter.occurredFrom !== undefined &&
    filter.occurredTo !== undefined &&
    filter.occurredFrom > filter.occurredTo
  )
    bad('occurredFrom', 'beforeTo', 'occurredFrom must not be after occurredTo');
  if (
    filter.afterPosition !== undefined &&
    filter.toPosition !== undefined &&
    filter.afterPosition > filter.toPosition
  )
    bad('afterPosition', 'beforeTo', 'afterPosition must not be after toPosition');
  if (details.length > 0) return { ok: false, details };
  return { ok: true, filter: withoutUndefined(filter) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withoutUndefined(filter: EventFilter): EventFilter {
  const defined: EventFilter = Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  );
  return defined;
}
