import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOURNEY_COLLECTION } from '@crm/projections';
import type { ReadStore } from '@crm/read-store';
import type { Consumer, Kafka } from 'kafkajs';

type Expected = { readonly customerId: string; readonly position: number; readonly since: number };

/**
 * Times how long acknowledged writes take to become visible in the read
 * models, read straight from the read store the projectors write (not
 * through an API: what is measured is the pipeline relay → Kafka →
 * projector → store, whatever an API does with minPosition). Every `pollMs`
 * one getMany of the customers still awaited: a write is visible once its
 * customer's journey document holds its position or a later one.
 */
export class VisibilityWatch {
  private readonly pending: Expected[] = [];
  readonly latenciesMs: number[] = [];
  private readonly stop = new AbortController();
  private readonly polling: Promise<void>;

  constructor(
    private readonly store: ReadStore,
    private readonly pollMs = 10,
  ) {
    this.polling = this.poll();
  }

  /** A write acknowledged at `since` (performance.now()) with this position. */
  expect(customerId: string, position: number, since: number): void {
    this.pending.push({ customerId, position, since });
  }

  get waiting(): number {
    return this.pending.length;
  }

  private async poll(): Promise<void> {
    while (!this.stop.signal.aborted) {
      if (this.pending.length > 0) await this.check();
      await sleep(this.pollMs);
    }
  }

  private async check(): Promise<void> {
    const ids = [...new Set(this.pending.map((entry) => entry.customerId))];
    const documents = await this.store.getMany(JOURNEY_COLLECTION, ids);
    const now = performance.now();
    const positions = new Map(documents.map((doc) => [doc.id, doc.position]));
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const entry = this.pending[index];
      if (entry === undefined || (positions.get(entry.customerId) ?? -1) < entry.position) continue;
      this.latenciesMs.push(now - entry.since);
      this.pending.splice(index, 1);
    }
  }

  /** Waits until every expected write is visible or `timeoutMs` passed; returns how many never showed. */
  async settle(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending.length > 0 && performance.now() < deadline) await sleep(50);
    this.stop.abort();
    await this.polling;
    return this.pending.length;
  }
}

/**
 * An open-loop load: task i starts at `i / rate` seconds whatever the
 * answers before it (as independent clients would send), with at most
 * `maxInFlight` in flight; a task that had to wait for a free slot counts
 * as late (the offered rate was not kept).
 */
export async function offerAtRate(
  rate: number,
  total: number,
  maxInFlight: number,
  task: (index: number) => Promise<void>,
): Promise<{ readonly elapsedMs: number; readonly late: number }> {
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let late = 0;
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / rate;
    const ahead = due - performance.now();
    if (ahead > 1) await sleep(ahead);
    if (inFlight.size >= maxInFlight) {
      late++;
      await Promise.race(inFlight);
    }
    const running: Promise<void> = task(index).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return { elapsedMs: performance.now() - started, late };
}

/**
 * When each event reached the topic, as seen by a consumer of its own
 * group (by the `crm-event-id` header): splits freshness into the relay's
 * part (acknowledged → in Kafka) and the projectors' part.
 */
export class TopicArrivals {
  private readonly arrivals = new Map<string, number>();
  private readonly consumer: Consumer;

  private constructor(kafka: Kafka) {
    this.consumer = kafka.consumer({ groupId: `bench-arrivals-${randomUUID()}` });
  }

  /** Resolves once the consumer has its partitions, reading from the topic's end. */
  static async start(kafka: Kafka, topic: string): Promise<TopicArrivals> {
    const watch = new TopicArrivals(kafka);
    const joined = new Promise<void>((resolve) => {
      watch.consumer.on(watch.consumer.events.GROUP_JOIN, () => resolve());
    });
    await watch.consumer.connect();
    await watch.consumer.subscribe({ topics: [topic], fromBeginning: false });
    await watch.consumer.run({
      eachMessage: ({ message }) => {
        const eventId = message.headers?.['crm-event-id']?.toString();
        if (eventId !== undefined) watch.arrivals.set(eventId, performance.now());
        return Promise.resolve();
      },
    });
    await joined;
    return watch;
  }

  arrivedAt(eventId: string): number | undefined {
    return this.arrivals.get(eventId);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
