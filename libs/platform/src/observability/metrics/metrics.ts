import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) from 0.5 ms to 10 s: embedded appends are sub-millisecond, HTTP calls a few ms. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type GaugeSample = { readonly labels?: Readonly<Record<string, string>>; readonly value: number };

/**
 * The application's Prometheus registry and the metrics the platform itself
 * records. Owned by the app (never prom-client's global registry), so two
 * apps in one process, as in tests, count separately. Names are listed in
 * docs/access-and-observability.md.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'crm_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status; _count is the request rate',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'crm_event_store_append_duration_seconds',
    help: 'Event store appends, from call to commit, by outcome (ok, error)',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'crm_event_store_appended_events_total',
    help: 'Events written to the event store (idempotent repeats not counted): the ingest rate in events',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A gauge computed when Prometheus scrapes (lag, dead letters): nothing runs
   * between scrapes. A failing sampler leaves the gauge empty for that scrape.
   */
  sampledGauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    sample: () => Promise<readonly GaugeSample[]>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        let samples: readonly GaugeSample[];
        try {
          samples = await sample();
        } catch {
          return; // one unreadable engine must not fail the whole scrape; readiness reports it
        }
        for (const { labels, value } of samples) {
          if (labels) this.set(labels, value);
          else this.set(value);
        }
      },
    });
  }

  /** The registry in Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
