import { isDeepStrictEqual } from 'node:util';
import {
  type FindOptions,
  MAX_LIMIT,
  type Page,
  type ReadStore,
  type Sort,
  type StoredDocument,
  type Write,
} from '@crm/read-store';
import {
  checkpointOf,
  DELIVERIES,
  PENDING_STATUSES,
  REVISIONS_UNIT,
  SUBSCRIPTIONS,
  type WebhookDeliveryDocument,
  type WebhookDeliveryStatus,
  WEBHOOK_COLLECTIONS,
  type WebhookSubscriptionDocument,
} from './webhook.documents';

/** The change an update makes, given the stored document; null changes nothing. */
export type SubscriptionChange = (
  current: WebhookSubscriptionDocument,
) => Partial<Omit<WebhookSubscriptionDocument, 'id' | 'position'>> | null;

/** How often an update re-reads and tries again when another writer got the same revision first. */
const UPDATE_TRIES = 5;

/**
 * Subscriptions, pending deliveries and checkpoints, in the read store (so
 * the API and a separate `webhooks` process share them, on either engine).
 * A document's `position` is its revision: an update puts revision n + 1
 * over revision n, and the store's guard ignores a put whose revision is
 * already stored, so of two writers that read the same revision one wins
 * and the other re-reads (compare-and-set on one document, which MongoDB
 * applies atomically as well).
 */
export class WebhookStore {
  private ensured: Promise<ReadStore> | null = null;

  constructor(private readonly readStore: ReadStore) {}

  /**
   * The read store, once the collections exist: ensured on first use (and
   * again after a failure), so that booting never waits on a store that is down.
   */
  private store(): Promise<ReadStore> {
    this.ensured ??= this.readStore.ensureCollections(WEBHOOK_COLLECTIONS).then(
      () => this.readStore,
      (error: unknown) => {
        this.ensured = null;
        throw error;
      },
    );
    return this.ensured;
  }

  async subscription(id: string): Promise<WebhookSubscriptionDocument | null> {
    const store = await this.store();
    return store.get<WebhookSubscriptionDocument>(SUBSCRIPTIONS, id);
  }

  subscriptions(): Promise<WebhookSubscriptionDocument[]> {
    return this.everything<WebhookSubscriptionDocument>(SUBSCRIPTIONS, {});
  }

  async create(subscription: WebhookSubscriptionDocument): Promise<void> {
    await this.putRevisions(SUBSCRIPTIONS, [subscription]);
  }

  /** Applies `change` to the stored subscription; null when there is none (any more). */
  async update(id: string, change: SubscriptionChange): Promise<WebhookSubscriptionDocument | null> {
    for (let attempt = 0; attempt < UPDATE_TRIES; attempt++) {
      const current = await this.subscription(id);
      if (current === null) return null;
      const changes = change(current);
      if (changes === null) return current;
      const next: WebhookSubscriptionDocument = { ...current, ...changes, position: current.position + 1 };
      await this.putRevisions(SUBSCRIPTIONS, [next]);
      const stored = await this.subscription(id);
      if (stored === null || isDeepStrictEqual(stored, next)) return stored;
    }
    throw new Error(`Subscription ${id} kept changing under ${UPDATE_TRIES} updates`);
  }

  /** Deletes a subscription, its pending deliveries and its checkpoint. */
  async delete(id: string): Promise<void> {
    const current = await this.subscription(id);
    if (current === null) return;
    const deliveries = await this.deliveries(id);
    const store = await this.store();
    await store.commit({
      projection: REVISIONS_UNIT,
      position: Math.max(current.position + 1, ...deliveries.map((d) => d.position + 1)),
      writes: [
        { kind: 'delete', collection: SUBSCRIPTIONS, id, position: current.position + 1 },
        ...deliveries.map(removal),
      ],
    });
    await store.resetProjection(checkpointOf(id), []);
  }

  async checkpoint(subscriptionId: string): Promise<number> {
    const store = await this.store();
    return store.checkpoint(checkpointOf(subscriptionId));
  }

  /**
   * Raises a subscription's checkpoint to `position` and records the
   * deliveries it parked or held on the way, in one unit (one transaction
   * on SQLite; on MongoDB the documents first, then the checkpoint).
   */
  async advance(
    subscriptionId: string,
    position: number,
    recorded: readonly WebhookDeliveryDocument[],
  ): Promise<void> {
    const store = await this.store();
    await store.commit({
      projection: checkpointOf(subscriptionId),
      position,
      writes: recorded.map((document) => ({ kind: 'put', collection: DELIVERIES, document })),
    });
  }

  /** A subscription's deliveries, by log position; of some statuses, or all. */
  deliveries(
    subscriptionId: string,
    statuses?: readonly WebhookDeliveryStatus[],
  ): Promise<WebhookDeliveryDocument[]> {
    return this.everything<WebhookDeliveryDocument>(DELIVERIES, {
      filter: { subscriptionId, status: { $in: statuses } },
      sort: BY_EVENT_POSITION,
    });
  }

  /** One page of a subscription's deliveries, by log position. */
  async deliveryPage(
    subscriptionId: string,
    query: { readonly status?: WebhookDeliveryStatus; readonly cursor?: string; readonly limit: number },
  ): Promise<Page<WebhookDeliveryDocument>> {
    const store = await this.store();
    return store.find<WebhookDeliveryDocument>(DELIVERIES, {
      filter: { subscriptionId, status: { $eq: query.status } },
      sort: BY_EVENT_POSITION,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  async countDeliveries(subscriptionId: string, status: WebhookDeliveryStatus): Promise<number> {
    const store = await this.store();
    return store.count(DELIVERIES, { subscriptionId, status });
  }

  /** The deliveries that keep their customers' later events waiting. */
  pending(subscriptionId: string): Promise<WebhookDeliveryDocument[]> {
    return this.deliveries(subscriptionId, PENDING_STATUSES);
  }

  async delivery(id: string): Promise<WebhookDeliveryDocument | null> {
    const store = await this.store();
    return store.get<WebhookDeliveryDocument>(DELIVERIES, id);
  }

  /** Stores new revisions of deliveries (each one up from the stored one). */
  async saveDeliveries(deliveries: readonly WebhookDeliveryDocument[]): Promise<void> {
    await this.putRevisions(DELIVERIES, deliveries);
  }

  /** Removes delivered ones (as stored: the delete is one revision up). */
  async removeDeliveries(deliveries: readonly WebhookDeliveryDocument[]): Promise<void> {
    if (deliveries.length === 0) return;
    const store = await this.store();
    await store.commit({
      projection: REVISIONS_UNIT,
      position: Math.max(...deliveries.map((d) => d.position + 1)),
      writes: deliveries.map(removal),
    });
  }

  private async putRevisions(
    collection: string,
    documents: readonly (WebhookDeliveryDocument | WebhookSubscriptionDocument)[],
  ): Promise<void> {
    if (documents.length === 0) return;
    const store = await this.store();
    await store.commit({
      projection: REVISIONS_UNIT,
      position: Math.max(...documents.map((d) => d.position)),
      writes: documents.map((document) => ({ kind: 'put', collection, document })),
    });
  }

  /** Every document a query matches, page after page. */
  private async everything<T extends StoredDocument>(
    collection: string,
    query: Pick<FindOptions, 'filter' | 'sort'>,
  ): Promise<T[]> {
    const store = await this.store();
    const all: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.find<T>(collection, { ...query, limit: MAX_LIMIT, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return all;
  }
}

const BY_EVENT_POSITION: Sort = [{ field: 'eventPosition', direction: 'asc' }];

function removal(delivery: WebhookDeliveryDocument): Write {
  return { kind: 'delete', collection: DELIVERIES, id: delivery.id, position: delivery.position + 1 };
}
