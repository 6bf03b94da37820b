import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { WebhooksConfig } from '@crm/platform';
import { toExportLine } from '@crm/analytics/event-log';
import { retryDelayMs } from './retry-schedule';
import { type AttemptOutcome, attempt } from './webhook-sender';
import type { WebhookStore } from './webhook-store';
import {
  deliveryId,
  type WebhookDeliveryDocument,
  type WebhookSubscriptionDocument,
} from './webhook.documents';

/** Events read from the log per cycle. */
export const PAGE_SIZE = 200;
/**
 * Once this many different events have failed with no delivery in between,
 * the target is taken as down: a customer's delivery is parked after one
 * attempt instead of going through its whole backoff, the log waits, and
 * the parked ones are probed (one request per WEBHOOK_RETRY_MAX_MS) until
 * the target answers. Different events, not attempts: the retries of one
 * customer whose payload the target refuses say nothing about the others.
 */
export const DOWN_AFTER_FAILURES = 10;

/** What the worker needs around it. */
export type WorkerContext = {
  /** The log as stored: personal fields encrypted, decrypted only when a request is built. */
  readonly raw: EventStore;
  /** Personal fields in plaintext, or `[erased]` once the customer's key is shredded. */
  readonly decrypt: (event: RecordedEvent) => Promise<RecordedEvent>;
  readonly store: WebhookStore;
  readonly secretOf: (subscription: WebhookSubscriptionDocument) => string;
  readonly now: () => Date;
  readonly settings: WebhooksConfig;
  readonly observe: (subscriptionId: string, what: DeliveryObservation) => void;
  readonly log: (level: 'log' | 'warn', message: string) => void;
};

/** What the metrics count. */
export type DeliveryObservation = 'delivered' | 'failed' | 'parked';

/** A delivery that did not go through. */
type Failure = {
  readonly outcome: Extract<AttemptOutcome, { ok: false }>;
  readonly attempts: number;
  readonly targetDown: boolean;
};

/**
 * Delivers one subscription's events, following the log from its
 * checkpoint, page by page:
 *
 * 1. Pending deliveries first: those an admin retried, those held behind
 *    a delivery that has since been delivered or skipped, and (one probe per
 *    WEBHOOK_RETRY_MAX_MS) those parked while the target was down.
 * 2. Then the next page of the log, each customer's events in order, up to
 *    WEBHOOK_CONCURRENCY customers at once. An event is tried up to
 *    WEBHOOK_MAX_ATTEMPTS times with backoff; then it is parked, and the
 *    customer's later events are held behind it, while other customers go on.
 * 3. The checkpoint rises to the page's end with the parked and held
 *    deliveries in the same unit. A crash before that sends the page again:
 *    at least once, duplicates carrying the same webhook-id.
 *
 * One worker per subscription, in one process (RUN_MODE all or webhooks).
 */
export class SubscriptionWorker {
  private lastSuccessAt = 0;
  /** The events that failed since the last delivery. */
  private readonly failing = new Set<string>();
  private nextProbeAt = 0;
  private failingSince: Date | null;
  private lastFailureAt = 0;
  private lastError: string | null = null;

  constructor(
    private subscription: WebhookSubscriptionDocument,
    private readonly context: WorkerContext,
    private readonly signal: AbortSignal,
  ) {
    this.failingSince = subscription.failingSince === null ? null : new Date(subscription.failingSince);
  }

  get id(): string {
    return this.subscription.id;
  }

  /** Runs until the signal aborts or the subscription is paused or deleted. */
  async run(): Promise<void> {
    while (!this.signal.aborted) {
      const current = await this.context.store.subscription(this.id);
      if (current === null || current.status !== 'active') return;
      this.subscription = current;
      const released = await this.releasePending();
      const advanced = this.mayTakeAPage() && (await this.deliverNextPage());
      await this.noteHealth();
      if (!released && !advanced)
        await sleep(this.context.settings.pollMs, undefined, { signal: this.signal }).catch(() => undefined);
    }
  }

  /**
   * While the target is down, the log waits where it is (nothing new is
   * parked, only probed): a page is read again only when a probe is due, and
   * serves as one when no parked delivery can.
   */
  private mayTakeAPage(): boolean {
    return !this.targetDown() || this.now() >= this.nextProbeAt;
  }

  private targetDown(): boolean {
    return this.failing.size >= DOWN_AFTER_FAILURES;
  }

  /**
   * Delivers what waits and may go now: a customer's pending deliveries in
   * order, from the first one that is not parked (retried by an admin, or
   * held behind one delivered or skipped since). Deliveries parked while
   * the target was down wait for a probe: the first of them, sent once per
   * WEBHOOK_RETRY_MAX_MS; when it goes through, they all go. True when it
   * sent anything.
   */
  private async releasePending(): Promise<boolean> {
    const pending = await this.context.store.pending(this.id);
    if (pending.length === 0) return false;
    let targetBack = false;
    const probe = pending.find((d) => d.status === 'parked' && d.targetDown);
    if (probe !== undefined && this.now() >= this.nextProbeAt) {
      if ((await this.deliverStored(probe, 1)) !== null) {
        this.nextProbeAt = this.now() + this.context.settings.retryMaxMs;
        return true;
      }
      targetBack = true;
    }
    const rest = pending.filter((d) => !(targetBack && d === probe));
    const releasable = [...groupBy(rest, (d) => d.streamId).values()].filter(([head]) =>
      head === undefined ? false : head.status !== 'parked' || (targetBack && head.targetDown),
    );
    await this.pool(releasable, async (docs) => {
      for (const doc of docs) {
        if ((await this.deliverStored(doc, this.context.settings.maxAttempts)) !== null) return;
      }
    });
    return targetBack || releasable.length > 0;
  }

  /**
   * Sends a stored (parked, held or retried) delivery: removed once
   * delivered, parked again (the customer's later ones still held) when not.
   * Returns the failure, or null.
   */
  private async deliverStored(doc: WebhookDeliveryDocument, maxAttempts: number): Promise<Failure | null> {
    const { raw, store } = this.context;
    const [event] = await raw.readStream(doc.streamId, { fromRevision: doc.revision, limit: 1 });
    if (event === undefined || event.eventId !== doc.eventId) {
      await store.saveDeliveries([
        {
          ...doc,
          position: doc.position + 1,
          status: 'skipped',
          lastError: 'the event is no longer in the log',
          updatedAt: this.nowIso(),
        },
      ]);
      return null;
    }
    const failure = await this.deliver(event, maxAttempts);
    if (failure === null) {
      await store.removeDeliveries([doc]);
      return null;
    }
    await store.saveDeliveries([this.parked(doc, failure)]);
    return failure;
  }

  /** Sends the next page of the log; true when there was one. */
  private async deliverNextPage(): Promise<boolean> {
    if (this.signal.aborted) return false;
    const { raw, store } = this.context;
    const after = Math.max(await store.checkpoint(this.id), this.subscription.startAfter);
    const page = await raw.readAll({
      after,
      limit: PAGE_SIZE,
      types: this.subscription.eventTypes ?? undefined,
    });
    const last = page.at(-1);
    if (last === undefined) return false;
    const blocked = new Set((await store.pending(this.id)).map((d) => d.streamId));
    const recorded: WebhookDeliveryDocument[] = [];
    const chains: RecordedEvent[][] = [];
    for (const events of groupBy(page, (e) => e.streamId).values()) {
      const [first] = events;
      if (first !== undefined && blocked.has(first.streamId))
        recorded.push(...events.map((e) => this.held(e)));
      else chains.push(events);
    }
    await this.pool(chains, async (events) => {
      for (const [index, event] of events.entries()) {
        const failure = await this.deliver(event, this.context.settings.maxAttempts);
        if (this.signal.aborted) return;
        if (failure === null) continue;
        recorded.push(
          // A new document: its first revision, which no page's position is below.
          { ...this.parked(this.held(event), failure), position: 1 },
          ...events.slice(index + 1).map((e) => this.held(e)),
        );
        return;
      }
    });
    // Stopped mid-page: what was sent is sent again after the restart (same webhook-id), nothing lost.
    if (this.signal.aborted) return false;
    await store.advance(this.id, last.position, recorded);
    if (this.targetDown()) this.nextProbeAt = this.now() + this.context.settings.retryMaxMs;
    return true;
  }

  /** Attempts one event until delivered, up to `maxAttempts`; the failure, or null. */
  private async deliver(event: RecordedEvent, maxAttempts: number): Promise<Failure | null> {
    const startedAt = this.now();
    const { settings } = this.context;
    for (let attempts = 1; ; attempts++) {
      // Decrypted now, for this attempt: after an erasure, retries carry [erased].
      const body = toExportLine(await this.context.decrypt(event)).trimEnd();
      const outcome = await attempt({
        url: this.subscription.url,
        secret: this.context.secretOf(this.subscription),
        id: event.eventId,
        body,
        timeoutMs: settings.timeoutMs,
        now: () => this.now() / 1000,
      });
      if (outcome.ok) {
        this.succeeded();
        return null;
      }
      this.failed(event.eventId, outcome);
      // Nothing of the subscription went through since this event's first attempt.
      const noSuccessSince = this.lastSuccessAt < startedAt;
      const givingUp =
        attempts >= maxAttempts || this.signal.aborted || (noSuccessSince && this.targetDown());
      if (givingUp) return { outcome, attempts, targetDown: noSuccessSince };
      await sleep(retryDelayMs(attempts, settings.retryBaseMs, settings.retryMaxMs), undefined, {
        signal: this.signal,
      }).catch(() => undefined);
    }
  }

  private succeeded(): void {
    this.lastSuccessAt = this.now();
    this.failing.clear();
    this.failingSince = null;
    this.context.observe(this.id, 'delivered');
  }

  private failed(eventId: string, outcome: Extract<AttemptOutcome, { ok: false }>): void {
    this.failing.add(eventId);
    this.failingSince ??= this.context.now();
    this.lastFailureAt = this.now();
    this.lastError = outcome.error;
    this.context.observe(this.id, 'failed');
  }

  /**
   * Records on the subscription when it started failing everything and why,
   * clears that once a delivery goes through, and pauses it once attempts
   * have kept failing for WEBHOOK_AUTO_PAUSE_AFTER_MS (a target that is
   * down is probed all along, so its streak grows; one customer parked
   * while nothing else is sent does not).
   */
  private async noteHealth(): Promise<void> {
    const failingSince = this.failing.size === 0 ? null : this.failingSince;
    const stored = this.subscription.failingSince;
    const since = failingSince?.toISOString() ?? null;
    // Failures that went on for that long: a streak nothing tried to extend (no traffic) pauses nothing.
    const tooLong =
      failingSince !== null &&
      this.lastFailureAt - failingSince.getTime() >= this.context.settings.autoPauseAfterMs;
    if (!tooLong && (stored === null) === (since === null)) return;
    const now = this.nowIso();
    const updated = await this.context.store.update(this.id, (current) => {
      if (current.status !== 'active') return null;
      if (tooLong) {
        return {
          status: 'paused',
          pausedAt: now,
          pausedReason: `paused by the worker: every delivery has failed since ${since}; last error: ${this.lastError ?? 'unknown'}`,
          failingSince: since,
          lastError: this.lastError,
          updatedAt: now,
        };
      }
      return {
        failingSince: since,
        lastError: since === null ? current.lastError : this.lastError,
        updatedAt: now,
      };
    });
    if (updated !== null) this.subscription = updated;
    if (tooLong) this.context.log('warn', `webhook ${this.id} paused: ${updated?.pausedReason ?? ''}`);
  }

  private held(event: RecordedEvent): WebhookDeliveryDocument {
    const now = this.nowIso();
    return {
      id: deliveryId(this.id, event.eventId),
      position: 1,
      subscriptionId: this.id,
      eventId: event.eventId,
      eventPosition: event.position,
      streamId: event.streamId,
      revision: event.revision,
      type: event.type,
      status: 'held',
      attempts: 0,
      targetDown: false,
      lastError: null,
      lastStatusCode: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  private parked(doc: WebhookDeliveryDocument, failure: Failure): WebhookDeliveryDocument {
    this.context.observe(this.id, 'parked');
    // Parked while the target failed everything: the first probe waits its interval too.
    if (failure.targetDown)
      this.nextProbeAt = Math.max(this.nextProbeAt, this.now() + this.context.settings.retryMaxMs);
    return {
      ...doc,
      position: doc.position + 1,
      status: 'parked',
      attempts: doc.attempts + failure.attempts,
      targetDown: failure.targetDown,
      lastError: failure.outcome.error,
      lastStatusCode: failure.outcome.statusCode,
      updatedAt: this.nowIso(),
    };
  }

  /** Runs `work` on each item, at most WEBHOOK_CONCURRENCY at once. */
  private async pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from(
      { length: Math.min(items.length, this.context.settings.concurrency) },
      async () => {
        while (next < items.length && !this.signal.aborted) {
          const item = items[next++] as T;
          await work(item);
        }
      },
    );
    await Promise.all(lanes);
  }

  private now(): number {
    return this.context.now().getTime();
  }

  private nowIso(): string {
    return this.context.now().toISOString();
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
