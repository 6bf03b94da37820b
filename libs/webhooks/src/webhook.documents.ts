import type { SealedSecret } from '@crm/privacy/encryption';
import type { CollectionSpec } from '@crm/read-store';

/**
 * A webhook subscription as stored. `position` is its revision (1, 2, …), not
 * a log position: every change is a put one revision up, which the read
 * store's position guard turns into a compare-and-set (see WebhookStore).
 */
export type WebhookSubscriptionDocument = {
  readonly id: string;
  readonly position: number;
  readonly url: string;
  /** Only these event types; null: every type. */
  readonly eventTypes: readonly string[] | null;
  readonly description: string | null;
  readonly status: 'active' | 'paused';
  /** Why it is paused: by an admin, or by the worker after failing for too long. */
  readonly pausedReason: string | null;
  readonly pausedAt: string | null;
  /** Deliveries start after this log position (the head when it was created, unless asked otherwise). */
  readonly startAfter: number;
  /** The signing secret, sealed under the current master key (never returned after creation). */
  readonly secret: SealedSecret;
  /** Since when every delivery has failed; null once one succeeds. */
  readonly failingSince: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

/**
 * A delivery the worker could not make in order, one per subscription and
 * event. References only (like a dead letter): the event is read from the
 * log and decrypted when it is sent, so an erasure in between sends
 * `[erased]`. `position` is the document's revision; `eventPosition` the
 * event's place in the log. A delivered one is deleted.
 * - `parked`: failed `WEBHOOK_MAX_ATTEMPTS` times; the customer's later
 *   events are held behind it until an admin retries or skips it. One
 *   parked while the target failed everything (`targetDown`) is retried by
 *   the worker itself once the target answers again.
 * - `held`: waits behind a parked delivery of the same customer.
 * - `retrying`: an admin asked for another round of attempts.
 * - `skipped`: an admin gave it up; what it held goes on.
 */
export type WebhookDeliveryDocument = {
  readonly id: string;
  readonly position: number;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventPosition: number;
  readonly streamId: string;
  /** The event's revision in its stream, to read it back. */
  readonly revision: number;
  readonly type: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly targetDown: boolean;
  readonly lastError: string | null;
  /** The last response's status code, null when none came (refused, timed out). */
  readonly lastStatusCode: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export const WEBHOOK_DELIVERY_STATUSES = ['parked', 'held', 'retrying', 'skipped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
/** The statuses that keep a customer's later events waiting. */
export const PENDING_STATUSES: readonly WebhookDeliveryStatus[] = ['parked', 'held', 'retrying'];

export const SUBSCRIPTIONS = 'webhook_subscriptions';
export const DELIVERIES = 'webhook_deliveries';

export const WEBHOOK_COLLECTIONS: readonly CollectionSpec[] = [
  { name: SUBSCRIPTIONS, indexes: [] },
  { name: DELIVERIES, indexes: [{ field: 'subscriptionId', carries: ['status'] }, 'eventPosition'] },
];

export function deliveryId(subscriptionId: string, eventId: string): string {
  return `${subscriptionId}:${eventId}`;
}

/** The checkpoint of a subscription: the last log position it has dealt with (delivered, parked or held). */
export function checkpointOf(subscriptionId: string): string {
  return `webhook:${subscriptionId}`;
}

/** The purpose a subscription's secret is sealed for. */
export function secretPurpose(subscriptionId: string): string {
  return `webhook:${subscriptionId}`;
}

/** The checkpoint key revisions of subscriptions and deliveries commit under; it means nothing itself. */
export const REVISIONS_UNIT = 'webhook-revisions';
