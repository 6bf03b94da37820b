import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CrmEventType,
  type DataOf,
  type ErrorDetail,
  type EventMetadata,
  type EventOfType,
  EVENT_VERSIONS,
} from '@crm/domain';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, isValidInstant } from '@crm/platform';
import type { EventEnvelopeDto } from './event-envelope.dto';

/** An offset (Z or ±hh:mm) is required so that a time means the same instant everywhere. */
const HAS_OFFSET = /T.*(Z|[+-]\d{2}(:?\d{2})?)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type BuiltEvent<T extends CrmEventType> =
  { ok: true; event: EventOfType<T> } | { ok: false; details: ErrorDetail[] };

/**
 * Turns a validated request into a fully formed event: generates the eventId
 * when absent, defaults occurredAt to now and normalises it to UTC. The only
 * place the ingestion path reads the clock.
 */
@Injectable()
export class EventBuilder {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  build<T extends CrmEventType>(
    type: T,
    envelope: EventEnvelopeDto,
    data: DataOf<T>,
    metadata: EventMetadata,
    fieldPrefix = '',
  ): BuiltEvent<T> {
    const field = fieldPrefix ? `${fieldPrefix}.occurredAt` : 'occurredAt';
    const now = this.clock.now();
    let occurredAt = now.toISOString();
    if (envelope.occurredAt !== undefined) {
      const raw = envelope.occurredAt;
      if (!DATE_ONLY.test(raw) && !HAS_OFFSET.test(raw)) {
        return {
          ok: false,
          details: [
            {
              field,
              code: 'missingOffset',
              message: 'occurredAt needs a UTC offset, e.g. 2024-05-01T10:00:00Z',
            },
          ],
        };
      }
      const instant = new Date(raw);
      if (!isValidInstant(DATE_ONLY.test(raw) ? `${raw}T00:00:00Z` : raw)) {
        const message = 'occurredAt must be an ISO-8601 instant such as 2024-05-01T10:00:00Z';
        return { ok: false, details: [{ field, code: 'isISO8601', message }] };
      }
      if (instant.getTime() > now.getTime() + this.config.maxClockSkewMs) {
        return { ok: false, details: [{ field, code: 'inFuture', message: 'occurredAt is in the future' }] };
      }
      occurredAt = instant.toISOString();
    }
    const event = {
      type,
      version: EVENT_VERSIONS[type],
      eventId: envelope.eventId ?? randomUUID(),
      occurredAt,
      data,
      metadata,
    } as EventOfType<T>;
    return { ok: true, event };
  }
}

/** The event's own fields: the body minus what only steers the request. */
export function dataFields<T extends object>(
  dto: T,
  envelopeKeys: readonly string[],
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dto)) {
    if (value !== undefined && !envelopeKeys.includes(key)) data[key] = value;
  }
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}
