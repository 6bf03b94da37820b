import { createHash } from 'node:crypto';
import { IsBoolean, IsString, Length } from 'class-validator';
import { type ClassConstructor } from 'class-transformer';
import {
  type CrmEvent,
  type CrmEventType,
  CUSTOMER_STREAM_PREFIX,
  type ErrorDetail,
  type EventMetadata,
  EVENT_VERSIONS,
  isAutomatedType,
  isCrmEventType,
  isFollowUpType,
  isTouchpointType,
} from '@crm/domain';
import { CustomerProfileDto, EventEnvelopeDto, RegisterCustomerDto, TOUCHPOINT_DTOS } from '@crm/ingestion';
import { type AppConfig, type Clock, validateDto } from '@crm/platform';
import { CSV_ENVELOPE_COLUMNS, csvValue } from './csv';

/** ConsentChanged has no HTTP route yet; its rules as a DTO, for imports. */
export class ConsentChangedDto extends EventEnvelopeDto {
  @IsString() @Length(1, 64) purpose!: string;
  @IsBoolean() granted!: boolean;
}

/** One line of an import, before validation: the export format, the fixture format, or a CSV row. */
export type ImportRecord = {
  readonly customerId?: unknown;
  readonly streamId?: unknown;
  readonly type?: unknown;
  readonly eventId?: unknown;
  readonly version?: unknown;
  readonly occurredAt?: unknown;
  readonly data?: unknown;
  readonly metadata?: unknown;
};

export type Candidate =
  | { readonly ok: true; readonly customerId: string; readonly event: CrmEvent }
  | { readonly ok: false; readonly customerId: string | null; readonly details: ErrorDetail[] };

const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
const HAS_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Validates an import record with the rules of the HTTP edge (the same DTOs,
 * unknown fields rejected, occurredAt with an offset and not in the future)
 * and builds the candidate event. The decider's rules come after, per
 * customer. An import needs occurredAt (history has a date); the eventId may
 * be left out, and is then derived from the record's content so that running
 * the same file twice writes nothing new.
 */
export class ImportRecordValidator {
  constructor(
    private readonly clock: Clock,
    private readonly config: Pick<AppConfig, 'maxClockSkewMs'>,
    private readonly importMetadata: EventMetadata,
  ) {}

  validate(record: ImportRecord): Candidate {
    const customerId = customerIdOf(record);
    const fail = (field: string, code: string, message: string): Candidate => ({
      ok: false,
      customerId,
      details: [{ field, code, message }],
    });
    if (customerId === null)
      return fail(
        'customerId',
        'customerIdFormat',
        'a customerId (or streamId customer-<id>) of 1-128 letters, digits and _.:@-',
      );
    const type = record.type;
    if (typeof type !== 'string' || !isCrmEventType(type))
      return fail('type', 'isIn', `type must be an event type of the catalogue`);
    if (record.version !== undefined && record.version !== EVENT_VERSIONS[type])
      return fail(
        'version',
        'EVENT.VERSION_UNSUPPORTED',
        `version ${JSON.stringify(record.version)} of ${type} is not the current one (${EVENT_VERSIONS[type]})`,
      );
    if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data))
      return fail('data', 'isObject', 'data must be an object');
    const occurredAt = record.occurredAt;
    if (typeof occurredAt !== 'string' || occurredAt === '')
      return fail('occurredAt', 'isDefined', 'occurredAt is required in an import');
    if (!HAS_OFFSET.test(occurredAt))
      return fail('occurredAt', 'missingOffset', 'occurredAt needs a UTC offset, e.g. 2024-05-01T10:00:00Z');
    const data = record.data as Record<string, unknown>;
    const eventId =
      record.eventId === undefined || record.eventId === ''
        ? derivedEventId(customerId, type, occurredAt, data)
        : record.eventId;
    const body: Record<string, unknown> = { ...data, eventId, occurredAt };
    if (isTouchpointType(type)) body.type = type;
    if (type === 'CustomerRegistered') {
      if (data.customerId !== undefined && data.customerId !== customerId)
        return fail('data.customerId', 'matchesStream', 'data.customerId must be the customer of the line');
      body.customerId = customerId;
    }
    const dto = dtoOf(type);
    if (dto === null) return fail('type', 'notImportable', notImportable(type));
    const validated = validateDto<EventEnvelopeDto>(dto, body);
    if (!validated.ok) return { ok: false, customerId, details: validated.details };
    const at = new Date(occurredAt);
    if (at.getTime() > this.clock.now().getTime() + this.config.maxClockSkewMs)
      return fail('occurredAt', 'inFuture', 'occurredAt is in the future');
    const metadata = isMetadata(record.metadata) ? record.metadata : this.importMetadata;
    const eventData = type === 'CustomerRegistered' ? { ...data, customerId } : data;
    const event = {
      type,
      version: EVENT_VERSIONS[type],
      eventId: validated.value.eventId ?? derivedEventId(customerId, type, occurredAt, data),
      occurredAt: at.toISOString(),
      data: eventData,
      metadata,
    } as CrmEvent;
    return { ok: true, customerId, event };
  }
}

/** A CSV row (header names → cells) as an import record. */
export function csvRecord(header: readonly string[], cells: readonly string[]): ImportRecord {
  const envelope: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  header.forEach((column, index) => {
    const cell = cells[index] ?? '';
    if ((CSV_ENVELOPE_COLUMNS as readonly string[]).includes(column)) envelope[column] = cell;
    else if (cell !== '') data[column] = csvValue(column, cell);
  });
  return { ...envelope, data };
}

/** Why a type of the catalogue is not imported, and where it is recorded instead. */
function notImportable(type: CrmEventType): string {
  if (type === 'CustomersMerged')
    return `${type} is not imported: merge customers through POST /customers/:id/merge`;
  if (isFollowUpType(type))
    return `${type} is not imported: schedule, reassign, complete or cancel follow-ups through POST /customers/:id/follow-ups…`;
  if (isAutomatedType(type)) return `${type} is recorded only by the automations`;
  return `${type} is not imported: erase a customer through the admin route`;
}

function dtoOf(type: CrmEventType): ClassConstructor<EventEnvelopeDto> | null {
  if (type === 'CustomerRegistered') return RegisterCustomerDto;
  if (type === 'CustomerProfileUpdated') return CustomerProfileDto;
  if (type === 'ConsentChanged') return ConsentChangedDto;
  // Erasure is an admin decision (POST /admin/customers/:id/erase), never history to import.
  if (type === 'CustomerErased') return null;
  // A merge spans two streams, decided on both (POST /customers/:id/merge), never one imported row.
  if (type === 'CustomersMerged') return null;
  // Follow-ups are live work with their own routes, which check the rules of each step (docs/domain.md,
  // "Follow-ups"); what the automations record comes from the automations alone.
  if (isFollowUpType(type) || isAutomatedType(type)) return null;
  return TOUCHPOINT_DTOS[type];
}

function customerIdOf(record: ImportRecord): string | null {
  const fromStream =
    typeof record.streamId === 'string' && record.streamId.startsWith(CUSTOMER_STREAM_PREFIX)
      ? record.streamId.slice(CUSTOMER_STREAM_PREFIX.length)
      : undefined;
  const id =
    typeof record.customerId === 'string' && record.customerId !== '' ? record.customerId : fromStream;
  return id !== undefined && CUSTOMER_ID.test(id) ? id : null;
}

function isMetadata(value: unknown): value is EventMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.correlationId === 'string' &&
    (m.causationId === null || typeof m.causationId === 'string') &&
    typeof m.actor === 'string' &&
    typeof m.source === 'string'
  );
}

/** A UUID (version-5 layout) from the record's content: the same line always gets the same eventId. */
function derivedEventId(customerId: string, type: string, occurredAt: string, data: unknown): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([customerId, type, occurredAt, data]))
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
