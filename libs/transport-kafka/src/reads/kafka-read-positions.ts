import { setTimeout as sleep } from 'node:timers/promises';
import { CUSTOMER_STREAM_PREFIX } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import type { PartitionLag, ReadPositions, ReadScope } from '@crm/projections/runtime';
import type { ReadStore } from '@crm/read-store';
import { customerIdOf } from '../event-message';
import { KAFKA_PROGRESS_SPEC, readTopicProgress } from '../kafka-progress';
import { type LoggedEvent, PartitionFrontier } from './partition-frontier';

/** How often the progress is read while nobody waits… */
const POLL_MS = 100;
/** …and while a read waits for a position. */
const WAITING_POLL_MS = 20;
/** Events read from the log per page. */
const PAGE_SIZE = 1000;
/**
 * Most events kept pending across partitions: beyond it the log is not read
 * further until the consumers apply some, and reads of later positions wait
 * (an answer late, never wrong).
 */
const MAX_PENDING = 500_000;

export type KafkaReadPositionsOptions = {
  readonly topic: string;
  /** A poll that failed (the read store or the event store down); the next one tries again. */
  readonly onError?: (error: unknown) => void;
};

/**
 * Read-your-writes under Kafka, for a process that sees neither the relay's
 * nor the consumers' memory (an API): it reads what they commit to the read
 * store (kafka_progress: the relay's published positions, each partition's
 * applied position) and the log itself (which partition each event not yet
 * applied belongs to, by the relay's partitionOf), and from them how far
 * each partition is applied without gaps (PartitionFrontier). A read of one
 * customer waits for that customer's partition; a population read (KPIs,
 * segments) for every partition.
 */
export class KafkaReadPositions implements ReadPositions {
  private frontier: PartitionFrontier | null = null;
  private readonly waiters = new Set<() => void>();
  private wake = new AbortController();
  private running: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private ensured = false;

  constructor(
    private readonly readStore: ReadStore,
    /** The stored form is enough (stream ids and positions), no decryption needed. */
    private readonly events: EventStore,
    private readonly options: KafkaReadPositionsOptions,
  ) {}

  /** Starts following the progress in the background (idempotent). */
  start(): void {
    this.running ??= this.follow();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake.abort();
    await this.running;
    for (const wake of [...this.waiters]) wake();
  }

  position(scope: ReadScope): number {
    const frontier = this.frontier;
    if (!frontier) return 0;
    return scope === 'population'
      ? frontier.coveredEverywhere()
      : frontier.covered(frontier.partitionOf(scope.customerId));
  }

  waitFor(position: number, scope: ReadScope, timeoutMs: number): Promise<boolean> {
    this.start();
    if (this.position(scope) >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.position(scope) < position && !this.stopping.signal.aborted) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.position(scope) >= position);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(check);
      // Poll sooner now that someone waits.
      this.wake.abort();
    });
  }

  /** The projectors' pauses live in their processes' memory: not visible here. */
  pausedBelow(_position: number, _scope: ReadScope): readonly string[] {
    return [];
  }

  partitions(): readonly PartitionLag[] {
    const frontier = this.frontier;
    if (!frontier) return [];
    const now = Date.now();
    return frontier.states().map(({ partition, covered, pending, oldestPendingMs }) => ({
      partition,
      position: covered,
      events: pending,
      seconds: oldestPendingMs === null ? 0 : Math.max(0, (now - oldestPendingMs) / 1000),
    }));
  }

  /** Reads the progress and the log once; exposed for tests that step it by hand. */
  async poll(): Promise<void> {
    if (!this.ensured) {
      // Before the relay or a consumer of this version has run, the collection may not exist yet.
      await this.readStore.ensureCollections([KAFKA_PROGRESS_SPEC]);
      this.ensured = true;
    }
    const progress = await readTopicProgress(this.readStore, this.options.topic);
    const relay = progress.relay;
    if (!relay) return;
    let frontier = this.frontier;
    if (!frontier || frontier.partitions !== relay.partitions) {
      frontier = PartitionFrontier.start({ relay, applied: progress.applied });
    } else {
      frontier.progress(progress.applied);
    }
    await this.readLog(frontier);
    this.frontier = frontier;
    for (const wake of [...this.waiters]) wake();
  }

  private async readLog(frontier: PartitionFrontier): Promise<void> {
    // A few pages per poll: a long backlog is read over several polls, the answers meanwhile late, not wrong.
    for (let pages = 0; pages < 20 && frontier.pendingEvents < MAX_PENDING; pages++) {
      const head = await this.events.headPosition();
      const page = await this.events.readAll({
        after: frontier.readPosition,
        limit: PAGE_SIZE,
        streamPrefix: CUSTOMER_STREAM_PREFIX,
      });
      const logged = page.flatMap((event): LoggedEvent[] => {
        const customerId = customerIdOf(event.streamId);
        return customerId === null
          ? []
          : [{ customerId, position: event.position, recordedAtMs: Date.parse(event.recordedAt) }];
      });
      const last = page[page.length - 1];
      if (page.length < PAGE_SIZE) {
        // Every event committed by `head` was there to be read.
        frontier.read(logged, Math.max(head, last?.position ?? 0));
        return;
      }
      frontier.read(logged, last?.position ?? frontier.readPosition);
    }
  }

  private async follow(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.poll();
      } catch (error) {
        this.options.onError?.(error);
      }
      const waitMs = this.waiters.size > 0 ? WAITING_POLL_MS : POLL_MS;
      this.wake = new AbortController();
      await sleep(waitMs, undefined, {
        signal: AbortSignal.any([this.wake.signal, this.stopping.signal]),
      }).catch(() => undefined);
    }
  }
}
