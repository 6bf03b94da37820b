import { deadLetterId, type DeadLetterDocument } from '@crm/projections';
import type { OutgoingMessage } from './broker/message-broker';
import { EVENT_HEADERS, headerText, type IncomingMessage } from './event-message';

/** Headers the consumers add to a message they dead-letter (the original headers stay). */
export const DEAD_LETTER_HEADERS = {
  error: 'crm-dlq-error',
  attempts: 'crm-dlq-attempts',
  projections: 'crm-dlq-projections',
  topic: 'crm-dlq-topic',
  partition: 'crm-dlq-partition',
  offset: 'crm-dlq-offset',
  failedAt: 'crm-dlq-failed-at',
} as const;

/** The `projection` of a dead letter for a message no projection could even read. */
export const DECODE_STAGE = 'kafka-decode';

/** One message of the event topic that failed, with where it came from. */
export type FailedMessage = {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: IncomingMessage;
};

/** What failed for one projection (or DECODE_STAGE) and after how many attempts. */
export type Failure = {
  readonly projection: string;
  readonly error: string;
  readonly attempts: number;
  /** ISO-8601 instants of the first and the last failed attempt. */
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
};

/** What is known about the event: everything for a decoded one, the headers' word for a poison one. */
export type FailedEventRef = {
  readonly eventId: string;
  readonly streamId: string;
  readonly customerId: string;
  readonly type: string;
  readonly position: number;
};

/** The dead-letter topic message: the original key, value and headers, plus why and where it failed. */
export function deadLetterMessage(failed: FailedMessage, failures: readonly Failure[]): OutgoingMessage {
  const headers: Record<string, string | Buffer> = {};
  for (const name of Object.keys(failed.message.headers ?? {})) {
    const value = headerText(failed.message.headers, name);
    if (value !== null) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.error] = failures.map((f) => `${f.projection}: ${f.error}`).join('\n');
  headers[DEAD_LETTER_HEADERS.attempts] = String(Math.max(...failures.map((f) => f.attempts)));
  headers[DEAD_LETTER_HEADERS.projections] = failures.map((f) => f.projection).join(',');
  headers[DEAD_LETTER_HEADERS.topic] = failed.topic;
  headers[DEAD_LETTER_HEADERS.partition] = String(failed.partition);
  headers[DEAD_LETTER_HEADERS.offset] = failed.offset;
  headers[DEAD_LETTER_HEADERS.failedAt] =
    failures.map((f) => f.lastFailedAt).sort()[failures.length - 1] ?? '';
  return { key: failed.message.key, value: failed.message.value, headers };
}

/** For a message that could not be decoded: what its headers claim, or its place in the topic. */
export function refFromHeaders(failed: FailedMessage): FailedEventRef {
  const headers = failed.message.headers;
  const position = Number(headerText(headers, EVENT_HEADERS.position));
  const streamId = headerText(headers, EVENT_HEADERS.streamId) ?? '';
  return {
    eventId:
      headerText(headers, EVENT_HEADERS.eventId) ?? `${failed.topic}:${failed.partition}:${failed.offset}`,
    streamId,
    customerId: failed.message.key?.toString('utf8') ?? '',
    type: headerText(headers, EVENT_HEADERS.type) ?? '',
    position: Number.isSafeInteger(position) && position >= 0 ? position : 0,
  };
}

/** The `dead_letters` document for one failed projection (no event data: references only). */
export function deadLetterDocument(ref: FailedEventRef, failure: Failure): DeadLetterDocument {
  return {
    id: deadLetterId(failure.projection, ref.eventId),
    position: ref.position,
    projection: failure.projection,
    eventId: ref.eventId,
    streamId: ref.streamId,
    customerId: ref.customerId,
    type: ref.type,
    error: failure.error,
    attempts: failure.attempts,
    firstFailedAt: failure.firstFailedAt,
    lastFailedAt: failure.lastFailedAt,
    status: 'open',
    source: 'kafka',
  };
}
