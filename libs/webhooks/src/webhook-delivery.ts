import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Counter } from 'prom-client';
import { type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, Metrics } from '@crm/platform';
import { MasterKeyring, PersonalDataCipher } from '@crm/privacy/encryption';
import { SubscriptionWorker, type DeliveryObservation } from './subscription-worker';
import { WebhookStore } from './webhook-store';
import { secretPurpose, type WebhookSubscriptionDocument } from './webhook.documents';

/** How often the delivery looks for subscriptions created, resumed or deleted (by the API, maybe in another process). */
const SUPERVISE_MS = 1000;

/**
 * Runs a SubscriptionWorker per active subscription, in the process that
 * delivers (RUN_MODE all or webhooks). Subscriptions are documents any
 * process may change; this looks at them every second, starts a worker for
 * each active one that has none, and a worker stops by itself once its
 * subscription is paused or deleted. A worker that fails (the read store
 * down) is logged and started again on a later look.
 */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly running = new Map<string, Promise<void>>();
  private readonly unstartable = new Map<string, string>();
  private readonly stop = new AbortController();
  private supervising: Promise<void> | null = null;
  private readonly deliveries: Counter<'subscription' | 'outcome'>;

  constructor(
    private readonly store: WebhookStore,
    @Inject(RAW_EVENT_STORE) private readonly raw: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly keyring: MasterKeyring,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.deliveries = new Counter({
      name: 'crm_webhook_attempts_total',
      help: 'Webhook requests by subscription and outcome: delivered, failed (an attempt), parked (a delivery given up)',
      labelNames: ['subscription', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.supervising ??= this.supervise();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.supervising;
    await Promise.all(this.running.values());
  }

  /** The subscriptions that have a worker in this process. */
  workers(): string[] {
    return [...this.running.keys()];
  }

  private async supervise(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        for (const subscription of await this.store.subscriptions()) {
          if (subscription.status === 'active' && !this.running.has(subscription.id))
            await this.launch(subscription);
        }
      } catch (error) {
        this.logger.warn(`cannot list webhook subscriptions: ${messageOf(error)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SUPERVISE_MS);
        this.stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** Starts a worker; one subscription that cannot start (its secret unreadable) does not stop the others. */
  private async launch(subscription: WebhookSubscriptionDocument): Promise<void> {
    try {
      this.start(await this.resealed(subscription));
    } catch (error) {
      // Tried again every look, said once.
      const message = `webhook ${subscription.id} cannot start: ${messageOf(error)}`;
      if (this.unstartable.get(subscription.id) !== message) this.logger.error(message);
      this.unstartable.set(subscription.id, message);
    }
  }

  /**
   * The subscription with its secret sealed under the current master key:
   * after a rotation (docs/privacy.md) the old key is needed until this has
   * run once for each subscription.
   */
  private async resealed(subscription: WebhookSubscriptionDocument): Promise<WebhookSubscriptionDocument> {
    if (subscription.secret.masterKeyId === this.keyring.currentId) return subscription;
    const purpose = secretPurpose(subscription.id);
    const secret = this.keyring.sealSecret(purpose, this.keyring.openSecret(purpose, subscription.secret));
    const updated = await this.store.update(subscription.id, () => ({ secret }));
    return updated ?? subscription;
  }

  private start(subscription: WebhookSubscriptionDocument): void {
    const worker = new SubscriptionWorker(
      subscription,
      {
        raw: this.raw,
        decrypt: (event) => this.cipher.decrypt(event),
        store: this.store,
        secretOf: (s) => this.keyring.openSecret(secretPurpose(s.id), s.secret),
        now: () => this.clock.now(),
        settings: this.config.webhooks,
        observe: (id, outcome: DeliveryObservation) => this.deliveries.inc({ subscription: id, outcome }),
        log: (level, message) => this.logger[level](message),
      },
      this.stop.signal,
    );
    const run = worker
      .run()
      .catch((error: unknown) => this.logger.error(`webhook ${subscription.id} stopped: ${messageOf(error)}`))
      .finally(() => this.running.delete(subscription.id));
    this.running.set(subscription.id, run);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
