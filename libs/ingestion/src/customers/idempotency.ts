import { createHash } from 'node:crypto';
import { type CrmEvent, DomainError, ERASED_VALUE } from '@crm/domain';

export const IDEMPOTENCY_PAYLOAD_MISMATCH = 'IDEMPOTENCY.PAYLOAD_MISMATCH';

/** What an eventId stood for when it was recorded: enough to tell a retry from a different event. */
export type EventIdentity = {
  readonly type: string;
  readonly occurredAt: string;
  /** SHA-256 of the data as canonical JSON (keys sorted): the payload, never kept in clear. */
  readonly fingerprint: string;
  /** The data read `[erased]` somewhere: the original can no longer be compared. */
  readonly erased: boolean;
};

export function identityOf(event: Pick<CrmEvent, 'type' | 'occurredAt' | 'data'>): EventIdentity {
  const canonical = canonicalJson(event.data);
  return {
    type: event.type,
    occurredAt: event.occurredAt,
    fingerprint: createHash('sha256').update(canonical).digest('hex'),
    erased: canonical.includes(JSON.stringify(ERASED_VALUE)),
  };
}

/**
 * Whether a repeated eventId carries the event it was first recorded with.
 * Metadata is not compared (a retry may have a new correlation id); nor is
 * occurredAt when the server chose it (the retry's clock moved on). After
 * erasure the original reads `[erased]` and cannot be compared: the retry
 * gets the original result.
 */
export function sameEvent(original: EventIdentity, retry: EventIdentity, serverTimed: boolean): boolean {
  if (original.erased) return true;
  return (
    original.type === retry.type &&
    original.fingerprint === retry.fingerprint &&
    (serverTimed || original.occurredAt === retry.occurredAt)
  );
}

export function payloadMismatch(eventId: string): DomainError {
  const message = `eventId ${eventId} was already recorded with another payload; use a new eventId for a new event`;
  return new DomainError(IDEMPOTENCY_PAYLOAD_MISMATCH, 'conflict', message, [
    { field: 'eventId', code: IDEMPOTENCY_PAYLOAD_MISMATCH, message },
  ]);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
