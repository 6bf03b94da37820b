import type { CollectionSpec } from '@crm/read-store';

/**
 * An event a projection could not apply. It holds references only (never the
 * event's data), so it carries no personal data: the event is read back from
 * the store when the letter is retried or inspected.
 */
export type DeadLetterDocument = {
  /** `${projection}:${eventId}` */
  readonly id: string;
  /** Global position of the failed event. */
  readonly position: number;
  readonly projection: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly customerId: string;
  readonly type: string;
  /** The error message of the last attempt. */
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  readonly status: 'open' | 'retried' | 'skipped';
  /** Which transport met it. */
  readonly source: 'embedded' | 'kafka';
};

export const DEAD_LETTER_COLLECTION = 'dead_letters';

export const DEAD_LETTER_COLLECTION_SPEC: CollectionSpec = {
  name: DEAD_LETTER_COLLECTION,
  indexes: ['status', 'projection', 'customerId'],
};

export function deadLetterId(projection: string, eventId: string): string {
  return `${projection}:${eventId}`;
}
