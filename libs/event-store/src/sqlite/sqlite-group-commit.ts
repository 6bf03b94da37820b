import type { AppendResult } from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { AppendRequest } from './sqlite-append-writer';
import type { Outcome } from './sqlite-batch-commit';

export type GroupCommitLimits = {
  /** Requests per flush; the rest wait for the next one. */
  readonly maxRequests: number;
  /** Events per flush (a single larger request still goes alone). */
  readonly maxEvents: number;
};

export type GroupCommitStats = {
  /** Append calls that reached a flush. */
  readonly appendRequests: number;
  /** Committed or failed flushes; each is one SQLite transaction, so one fsync. */
  readonly flushes: number;
  readonly failedFlushes: number;
  readonly eventsWritten: number;
  /** Most requests carried by one flush. */
  readonly largestFlush: number;
};

/** Writes one batch in one transaction; rejects when the batch as a whole failed. */
export type Committer = (requests: readonly AppendRequest[], recordedAt: string) => Promise<Outcome[]>;

type Pending = {
  readonly request: AppendRequest;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
};

/**
 * Group commit: appends are queued and written in batches, one transaction
 * (so one fsync) per batch, with at most one batch in flight. While a batch
 * commits, the next one gathers, so the batch size adapts to the load.
 */
export class GroupCommitQueue {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private counters = { appendRequests: 0, flushes: 0, failedFlushes: 0, eventsWritten: 0, largestFlush: 0 };

  constructor(
    private readonly commit: Committer,
    private readonly limits: GroupCommitLimits,
    private readonly now: () => Date,
    private readonly onCommitted: () => void,
  ) {}

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything queued so far is written (used by close). */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      if (!this.inFlight) this.flushNext();
      await this.inFlight;
    }
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // setImmediate lets every append issued in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.inFlight) this.flushNext();
    });
  }

  private flushNext(): void {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    this.inFlight = this.write(batch).finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.flushNext();
    });
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    const requests = batch.map((pending) => pending.request);
    this.counters.flushes += 1;
    this.counters.appendRequests += requests.length;
    this.counters.largestFlush = Math.max(this.counters.largestFlush, requests.length);
    let outcomes: Outcome[];
    try {
      outcomes = await this.commit(requests, this.now().toISOString());
    } catch (cause) {
      this.counters.failedFlushes += 1;
      const error =
        cause instanceof EventStoreUnavailableError
          ? cause
          : new EventStoreUnavailableError('The event store could not commit the append', { cause });
      batch.forEach((pending) => pending.reject(error));
      return;
    }
    this.counters.eventsWritten += outcomes.reduce((sum, outcome) => sum + countWritten(outcome), 0);
    // Followers first, so a caller awaiting its append finds followers already woken.
    this.onCommitted();
    batch.forEach((pending, index) => settle(pending, outcomes[index]));
  }

  private takeBatch(): Pending[] {
    let events = 0;
    let count = 0;
    for (const pending of this.queue) {
      const size = pending.request.events.length;
      if (count >= this.limits.maxRequests || (count > 0 && events + size > this.limits.maxEvents)) break;
      events += size;
      count += 1;
    }
    return this.queue.splice(0, count);
  }
}

function settle(pending: Pending, outcome: Outcome | undefined): void {
  if (!outcome) pending.reject(new EventStoreUnavailableError('The flush lost this append'));
  else if (outcome.ok) pending.resolve(outcome.result);
  else pending.reject(outcome.error);
}

function countWritten(outcome: Outcome): number {
  return outcome.ok ? outcome.result.events.filter((ref) => !ref.duplicate).length : 0;
}
