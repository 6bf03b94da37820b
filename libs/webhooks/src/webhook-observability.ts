import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type EventStore, EVENT_STORE } from '@crm/event-store';
import { CLOCK, type Clock, Metrics } from '@crm/platform';
import { WebhookAdmin } from './webhook-admin';

/**
 * Lag and pending deliveries per subscription, computed when Prometheus
 * scrapes, in every process that has the webhooks (the API's /metrics and
 * the webhooks process's probes read the same documents).
 */
@Injectable()
export class WebhookObservability implements OnModuleInit {
  constructor(
    private readonly admin: WebhookAdmin,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.sampledGauge(
      'crm_webhook_lag_events',
      'Events in the log after a subscription checkpoint (of every type: an upper bound)',
      ['subscription'],
      async () =>
        (await this.admin.list()).map((w) => ({ labels: { subscription: w.id }, value: w.lagEvents })),
    );
    this.metrics.sampledGauge(
      'crm_webhook_lag_seconds',
      'Age of the oldest event after a subscription checkpoint (0 when caught up)',
      ['subscription'],
      async () => {
        const now = this.clock.now().getTime();
        return Promise.all(
          (await this.admin.list()).map(async (w) => {
            const [oldest] =
              w.lagEvents === 0 ? [] : await this.events.readAll({ after: w.checkpoint, limit: 1 });
            const seconds =
              oldest === undefined ? 0 : Math.max(0, (now - Date.parse(oldest.recordedAt)) / 1000);
            return { labels: { subscription: w.id }, value: seconds };
          }),
        );
      },
    );
    this.metrics.sampledGauge(
      'crm_webhook_pending_deliveries',
      'Deliveries parked after failing every attempt, and held behind them',
      ['subscription', 'status'],
      async () =>
        (await this.admin.list()).flatMap((w) => [
          { labels: { subscription: w.id, status: 'parked' }, value: w.parked },
          { labels: { subscription: w.id, status: 'held' }, value: w.held },
        ]),
    );
    this.metrics.sampledGauge(
      'crm_webhook_paused',
      'Whether a subscription is paused (1), by an admin or after failing for too long',
      ['subscription'],
      async () =>
        (await this.admin.list()).map((w) => ({
          labels: { subscription: w.id },
          value: w.status === 'paused' ? 1 : 0,
        })),
    );
  }
}
