import { randomUUIDv7 } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type CrmEventType,
  type DataOf,
  type ErrorDetail,
  type EventMetadata,
  type EventOfType,
  EVENT_VERSIONS,
} from '@crm/domain';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, instantMessage, instantProblem } from '@crm/platform';
import type { EventEnvelopeDto } from './event-envelope.dto';

/**
 * An eventId chosen by the server: a UUID v7, whose leading bits are the
 * time, so the log's unique eventId index takes new ids near its right edge
 * instead of on a random page each (fewer pages written per commit).
 */
export function newEventId(): string {
  return randomUUIDv7();
}

export type BuiltEvent<T extends CrmEventType> =
  | {
      ok: true;
      event: EventOfType<T>;
      /** True when the request gave no occurredAt and the server's clock chose it. */
      serverTimed: boolean;
    }
  | { ok: false; details: ErrorDetail[] };

/**
 * Turns a validated request into a fully formed event: generates the eventId
 * when absent, defaults occurredAt to now and normalises it to UTC (the
 * accepted format, RFC 3339 with offset and at most milliseconds, loses nothing). The only
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
      const problem = instantProblem(envelope.occurredAt);
      if (problem !== null) {
        return {
          ok: false,
          details: [{ field, code: problem, message: instantMessage('occurredAt', problem) }],
        };
      }
      const instant = new Date(envelope.occurredAt);
      if (instant.getTime() > now.getTime() + this.config.maxClockSkewMs) {
        return { ok: false, details: [{ field, code: 'inFuture', message: 'occurredAt is in the future' }] };
      }
      occurredAt = instant.toISOString();
    }
    const event = {
      type,
      version: EVENT_VERSIONS[type],
      eventId: envelope.eventId ?? newEventId(),
      occurredAt,
      data,
      metadata,
    } as EventOfType<T>;
    return { ok: true, event, serverTimed: envelope.occurredAt === undefined };
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
