import { randomUUID } from 'node:crypto';
import type { EventStore } from '@crm/event-store';
import type { MasterKeyring } from '@crm/privacy/encryption';
import type { Page } from '@crm/read-store';
import { newSecret } from './webhook-signature';
import type { WebhookStore } from './webhook-store';
import { targetProblem } from './webhook-target';
import {
  deliveryId,
  secretPurpose,
  type WebhookDeliveryDocument,
  type WebhookDeliveryStatus,
  type WebhookSubscriptionDocument,
} from './webhook.documents';
import { deliveryNotFound, deliveryNotParked, invalidTarget, webhookNotFound } from './webhook.errors';

export type NewWebhook = {
  readonly url: string;
  readonly eventTypes?: readonly string[];
  readonly description?: string;
  /** Deliver events after this log position; default: the head, so only events from now on. */
  readonly after?: number;
};

/** A subscription as the admin routes show it: never its secret. */
export type WebhookView = Omit<WebhookSubscriptionDocument, 'secret' | 'position'> & {
  /** Log position of the last event dealt with (delivered, parked or held). */
  readonly checkpoint: number;
  /** Events in the log after the checkpoint (of every type: an upper bound). */
  readonly lagEvents: number;
  readonly parked: number;
  readonly held: number;
};

export type CreatedWebhook = WebhookView & {
  /** Shown once: the key for verifying signatures (`whsec_…`). */
  readonly secret: string;
};

export type DeliveryView = Omit<WebhookDeliveryDocument, 'position' | 'id'>;

/**
 * The admin side of webhooks: subscriptions created, listed, paused,
 * resumed and deleted, and parked deliveries retried or skipped. It only
 * writes documents; the delivery worker (in this or another process) picks
 * the changes up on its next cycle.
 */
export class WebhookAdmin {
  constructor(
    private readonly store: WebhookStore,
    private readonly events: EventStore,
    private readonly keyring: MasterKeyring,
    private readonly options: { readonly allowInsecureTargets: boolean; readonly now: () => Date },
  ) {}

  async create(request: NewWebhook): Promise<CreatedWebhook> {
    const problem = targetProblem(request.url, this.options.allowInsecureTargets);
    if (problem !== null) throw invalidTarget(problem);
    const id = randomUUID();
    const secret = newSecret();
    const now = this.options.now().toISOString();
    const subscription: WebhookSubscriptionDocument = {
      id,
      position: 1,
      url: request.url,
      eventTypes: request.eventTypes === undefined ? null : [...new Set(request.eventTypes)],
      description: request.description ?? null,
      status: 'active',
      pausedReason: null,
      pausedAt: null,
      startAfter: request.after ?? (await this.events.headPosition()),
      secret: this.keyring.sealSecret(secretPurpose(id), secret),
      failingSince: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.create(subscription);
    return { ...(await this.view(subscription)), secret };
  }

  async list(): Promise<WebhookView[]> {
    const subscriptions = await this.store.subscriptions();
    const head = await this.events.headPosition();
    return Promise.all(subscriptions.map((subscription) => this.view(subscription, head)));
  }

  async get(id: string): Promise<WebhookView> {
    return this.view(await this.subscription(id));
  }

  async pause(id: string): Promise<WebhookView> {
    const now = this.options.now().toISOString();
    const updated = await this.store.update(id, (current) =>
      current.status === 'paused'
        ? null
        : { status: 'paused', pausedAt: now, pausedReason: 'paused by an admin', updatedAt: now },
    );
    if (updated === null) throw webhookNotFound(id);
    return this.view(updated);
  }

  /** Active again, from where it stopped; a failing streak starts over. */
  async resume(id: string): Promise<WebhookView> {
    const now = this.options.now().toISOString();
    const updated = await this.store.update(id, (current) =>
      current.status === 'active'
        ? null
        : { status: 'active', pausedAt: null, pausedReason: null, failingSince: null, updatedAt: now },
    );
    if (updated === null) throw webhookNotFound(id);
    return this.view(updated);
  }

  async delete(id: string): Promise<void> {
    await this.subscription(id);
    await this.store.delete(id);
  }

  async deliveries(
    id: string,
    query: { readonly status?: WebhookDeliveryStatus; readonly cursor?: string; readonly limit: number },
  ): Promise<Page<DeliveryView>> {
    await this.subscription(id);
    const page = await this.store.deliveryPage(id, query);
    return { items: page.items.map(deliveryView), nextCursor: page.nextCursor };
  }

  /** Another round of attempts for a parked delivery; the customer's held ones follow it. */
  async retry(id: string, eventId: string): Promise<DeliveryView> {
    return this.change(id, eventId, 'retrying');
  }

  /** Gives a parked delivery up; the customer's held ones go on. */
  async skip(id: string, eventId: string): Promise<DeliveryView> {
    return this.change(id, eventId, 'skipped');
  }

  private async change(id: string, eventId: string, status: 'retrying' | 'skipped'): Promise<DeliveryView> {
    await this.subscription(id);
    const delivery = await this.store.delivery(deliveryId(id, eventId));
    if (delivery === null) throw deliveryNotFound(id, eventId);
    if (delivery.status !== 'parked') throw deliveryNotParked(id, eventId, delivery.status);
    const next: WebhookDeliveryDocument = {
      ...delivery,
      position: delivery.position + 1,
      status,
      updatedAt: this.options.now().toISOString(),
    };
    await this.store.saveDeliveries([next]);
    const stored = await this.store.delivery(next.id);
    // The worker changed it in between (it delivered or re-parked it): say what it is now.
    if (stored === null) throw deliveryNotFound(id, eventId);
    if (stored.status !== status) throw deliveryNotParked(id, eventId, stored.status);
    return deliveryView(stored);
  }

  private async subscription(id: string): Promise<WebhookSubscriptionDocument> {
    const subscription = await this.store.subscription(id);
    if (subscription === null) throw webhookNotFound(id);
    return subscription;
  }

  private async view(subscription: WebhookSubscriptionDocument, knownHead?: number): Promise<WebhookView> {
    const { secret: _secret, position: _revision, ...shown } = subscription;
    const [stored, head, parked, held] = await Promise.all([
      this.store.checkpoint(subscription.id),
      knownHead ?? this.events.headPosition(),
      this.store.countDeliveries(subscription.id, 'parked'),
      this.store.countDeliveries(subscription.id, 'held'),
    ]);
    const checkpoint = Math.max(stored, subscription.startAfter);
    return { ...shown, checkpoint, lagEvents: Math.max(0, head - checkpoint), parked, held };
  }
}

function deliveryView(delivery: WebhookDeliveryDocument): DeliveryView {
  const { id: _id, position: _revision, ...shown } = delivery;
  return shown;
}
