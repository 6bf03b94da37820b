import { customerStreamId } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import { logicalProjectionName } from '../../versioning/projection-version';
import { DEAD_LETTER_COLLECTION_SPEC } from '../../runner/dead-letter';
import { BatchApplier, type BatchUnit, type UnitOutcome } from '../engine/batch-applier';
import { recomputeCustomer } from './customer-recompute';
import {
  type ByCustomerCursor,
  customerEventsUpTo,
  isCustomerEvent,
  nextCustomers,
  shareOf,
  toCustomerEvent,
} from './customer-streams';
import type { FailedEvent } from '../engine/failure-isolation';
import { PendingWrites } from '../engine/pending-writes';
import type { CustomerEvent, Projection } from '../../runner/projection';
import { PositionWaiters } from './position-waiters';
import { withMergedHistories } from './merged-histories';

export type RunnerOptions = {
  /**
   * Events per unit of work (one read-store transaction per projection).
   * While a projection is rebuilt customer by customer, a unit takes a tenth
   * as many customers (at least 1): about a batch's worth of events for
   * customers of ten events or more.
   */
  readonly batchSize?: number;
  /** Called after each committed unit, e.g. for progress or metrics. */
  readonly onCommitted?: (progress: {
    readonly projection: string;
    readonly position: number;
    readonly events: number;
  }) => void;
  /**
   * Called after each step of the live feed with the log commit times
   * (`recordedAt`, epoch ms) of the events every projection of this runner
   * applied in it: from then on a read waiting for their positions sees
   * them. Not called for steps that make nothing newly visible (a paused
   * projection holds the position back), nor while a projection is built
   * customer by customer from nothing.
   */
  readonly onVisible?: (committedAtMs: readonly number[]) => void;
  /** How many times an event is tried on its own before it becomes a dead letter; default 3. */
  readonly deadLetterAfter?: number;
  /** The clock dead letters are stamped with. */
  readonly now?: () => Date;
  /**
   * Makes this runner one of `count` building a rebuild by customer side by
   * side (threads of a parallel rebuild): it builds only the customers of
   * share `index` (see shareOf), from their events up to `head`, and stops
   * there. It never raises a projection's checkpoint; whoever started the
   * shares does, once every share is built (see completeRebuildByCustomer).
   */
  readonly share?: RebuildShare;
  /**
   * Pauses set outside this runner (by another thread, in shared memory),
   * seen at the next step: a projection is paused when either says so.
   * Resuming one still needs `resume`, which wakes an idle runner.
   */
  readonly pauses?: { isPaused(projection: string): boolean };
};

export type RebuildShare = { readonly index: number; readonly count: number; readonly head: number };

export type RunnerStatus = {
  readonly projection: string;
  readonly state: 'idle' | 'running' | 'stopped' | 'failed';
  readonly paused: boolean;
  readonly checkpoint: number;
  readonly eventsApplied: number;
  /** Events this runner turned into dead letters since it started. */
  readonly deadLettered: number;
  readonly lastError: string | null;
};

type Progress = {
  checkpoint: number;
  eventsApplied: number;
  deadLettered: number;
  paused: boolean;
  /** Set while a per-customer projection starting from nothing is rebuilt stream by stream. */
  byCustomer: ByCustomerCursor | null;
};

const DEFAULT_BATCH = 500;

/**
 * Follows the global log and feeds one or more projections from a single
 * read of it. Each projection keeps its own checkpoint, committed in the
 * same unit of work as the documents a batch produced, so a crash at any
 * point resumes from the last committed batch and converges to the same
 * documents as a clean rebuild; a projection that is behind (say, being
 * rebuilt) is fed the events it has not applied yet and catches up.
 *
 * Each page is applied by the BatchApplier, as Kafka partitions are: an
 * event a projection fails on is retried on its own and, failing that,
 * recorded as a dead letter and left out, so the projection moves on. A
 * paused projection is fed nothing until resumed.
 */
export class ProjectionRunner {
  private current: Projection[];
  private readonly progress = new Map<string, Progress>();
  private state: RunnerStatus['state'] = 'idle';
  private lastError: string | null = null;
  private readonly waiters = new PositionWaiters(() => this.position());
  /** Steps and exclusive tasks run one at a time, in call order. */
  private lock: Promise<void> = Promise.resolve();
  /** Aborted to wake an idle `run` (on resume or replace). */
  private wake = new AbortController();
  private readonly engine: BatchApplier;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    projections: Projection | readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.current = isList(projections) ? [...projections] : [projections];
    this.engine = new BatchApplier(readStore, {
      attempts: options.deadLetterAfter,
      now: options.now,
      source: 'embedded',
      history: events,
    });
    if (this.current.length === 0) throw new RangeError('A runner needs at least one projection');
    const share = options.share;
    if (share && !isShare(share))
      throw new RangeError(
        `A rebuild share needs 0 <= index < count and a head >= 0, got ${JSON.stringify(share)}`,
      );
  }

  get projections(): readonly Projection[] {
    return this.current;
  }

  /** Creates the collections and loads the checkpoints. */
  async prepare(): Promise<void> {
    await this.readStore.ensureCollections([DEAD_LETTER_COLLECTION_SPEC]);
    const head = await this.events.headPosition();
    for (const projection of this.current) await this.load(projection, head);
  }

  /** Applies everything committed to the log up to now; returns the position every projection reached. */
  async catchUp(): Promise<number> {
    await this.prepare();
    const head = await this.events.headPosition();
    while (this.feedPosition() < head) {
      if ((await this.step()) === 0) break;
    }
    return this.position();
  }

  /** Catches up, then follows the log live until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.state = 'running';
    try {
      await this.prepare();
      while (!signal.aborted) {
        // Taken before the step, so a resume during it is not missed.
        const wake = this.wake.signal;
        const applied = await this.step();
        if (applied === 0) await this.idle(AbortSignal.any([signal, wake]));
      }
      this.state = 'stopped';
    } catch (error) {
      this.state = 'failed';
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  /** The log position every projection of this runner has applied, paused ones included. */
  position(): number {
    return lowest([...this.progress.values()].map((p) => p.checkpoint));
  }

  /** The paused projections that have not applied `position`: a wait for it ends only when they resume. */
  pausedBelow(position: number): string[] {
    return [...this.progress]
      .filter(([name, progress]) => this.isPaused(name, progress) && progress.checkpoint < position)
      .map(([name]) => name);
  }

  /** Resolves true once every projection reflects `position`, or false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  status(): RunnerStatus[] {
    return this.current.map((projection) => {
      const progress = this.progress.get(projection.name) ?? {
        checkpoint: 0,
        eventsApplied: 0,
        deadLettered: 0,
        paused: false,
        byCustomer: null,
      };
      return {
        projection: projection.name,
        state: this.state,
        lastError: this.lastError,
        checkpoint: progress.checkpoint,
        eventsApplied: progress.eventsApplied,
        deadLettered: progress.deadLettered,
        paused: this.isPaused(projection.name, progress),
      };
    });
  }

  /** Stops feeding a projection; the others go on. Its reads keep answering, as of its checkpoint. */
  pause(projection: string): void {
    this.progressOf(projection).paused = true;
  }

  /** Feeds a paused projection again: it catches up from its checkpoint. */
  resume(projection: string): void {
    this.progressOf(projection).paused = false;
    this.wakeUp();
  }

  /**
   * Reads one page after the lowest checkpoint of the projections being fed
   * and commits it to each of them; returns the page size (0 at the head).
   */
  step(): Promise<number> {
    return this.exclusive(() => this.stepNow());
  }

  /** Runs `task` between two steps: no unit of this runner is being decided or committed meanwhile. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /**
   * Swaps a projection for another (a new version taking over), which goes
   * on from its own checkpoint and inherits the pause. Call it inside
   * `exclusive`, so no step is half way.
   */
  async replace(name: string, next: Projection): Promise<void> {
    const index = this.current.findIndex((projection) => projection.name === name);
    if (index < 0) throw new RangeError(`No projection ${name} in this runner`);
    const paused = this.progress.get(name)?.paused ?? false;
    await this.load(next, await this.events.headPosition());
    this.progressOf(next.name).paused = paused;
    this.current = this.current.map((projection, i) => (i === index ? next : projection));
    this.progress.delete(name);
    this.wakeUp();
  }

  /**
   * Recomputes one customer's documents of a projection from their stream
   * (a retried dead letter), between steps, leaving out the event ids in
   * `leaveOut`. Returns the events applied.
   */
  recomputeCustomer(name: string, customerId: string, leaveOut?: ReadonlySet<string>): Promise<number> {
    return this.exclusive(async () => {
      const projection = this.current.find((p) => p.name === name);
      if (!projection) throw new RangeError(`No projection ${name} in this runner`);
      const stream = await this.events.readStream(customerStreamId(customerId));
      const events = await withMergedHistories(this.events, stream.map(toCustomerEvent));
      const checkpoint = this.progressOf(name).checkpoint;
      return recomputeCustomer(this.readStore, projection, events, checkpoint, leaveOut);
    });
  }

  /**
   * Re-reads every projection's checkpoint from the read store and wakes the
   * waiters: for a process that serves reads while another process projects
   * (run mode `api`), so `position` and `waitFor` follow that process.
   */
  async refreshCheckpoints(): Promise<void> {
    for (const projection of this.current) {
      const progress = this.progress.get(projection.name);
      const checkpoint = await this.readStore.checkpoint(projection.name);
      if (progress && checkpoint > progress.checkpoint) progress.checkpoint = checkpoint;
    }
    this.waiters.wake();
  }

  private async load(projection: Projection, head: number): Promise<void> {
    await this.readStore.ensureCollections(projection.collections);
    const checkpoint = await this.readStore.checkpoint(projection.name);
    const before = this.progress.get(projection.name);
    const share = this.options.share;
    const upTo = share?.head ?? head;
    const fromNothing = checkpoint === 0 && upTo > 0 && projection.perCustomer === true;
    this.progress.set(projection.name, {
      checkpoint,
      eventsApplied: before?.eventsApplied ?? 0,
      deadLettered: before?.deadLettered ?? 0,
      paused: before?.paused ?? false,
      byCustomer: fromNothing ? { head: upTo, after: 0 } : null,
    });
  }

  private progressOf(projection: string): Progress {
    const progress = this.progress.get(projection);
    if (!progress) throw new RangeError(`No projection ${projection} in this runner`);
    return progress;
  }

  /** Where the next read of the log starts: the lowest checkpoint of the projections being fed. */
  private feedPosition(): number {
    return lowest(
      [...this.progress].filter(([name, p]) => !this.isPaused(name, p)).map(([, p]) => p.checkpoint),
    );
  }

  private isPaused(projection: string, progress: Progress): boolean {
    return progress.paused || (this.options.pauses?.isPaused(projection) ?? false);
  }

  private allPaused(): boolean {
    return [...this.progress].every(([name, progress]) => this.isPaused(name, progress));
  }

  private async stepNow(): Promise<number> {
    if (this.allPaused()) return 0;
    const byCustomer = this.rebuildingByCustomer();
    if (byCustomer.length > 0) return this.stepByCustomer(byCustomer);
    // A share builds customers and nothing else.
    if (this.options.share) return 0;
    const page = await this.events.readAll({
      after: this.feedPosition(),
      limit: this.options.batchSize ?? DEFAULT_BATCH,
    });
    const last = page[page.length - 1];
    if (!last) return 0;
    const batch = page.filter(isCustomerEvent).map(toCustomerEvent);
    const units = this.current.flatMap((projection): BatchUnit[] => {
      const progress = this.progress.get(projection.name);
      if (!progress || this.isPaused(projection.name, progress) || progress.checkpoint >= last.position)
        return [];
      const unseen = batch.filter((e) => e.position > progress.checkpoint);
      return [{ projection, events: unseen, checkpoint: projection.name, position: last.position }];
    });
    const visibleBefore = this.position();
    for (const outcome of await this.engine.apply(units)) this.committed(outcome);
    this.waiters.wake();
    this.reportVisible(page, visibleBefore);
    return page.length;
  }

  private reportVisible(page: readonly RecordedEvent[], visibleBefore: number): void {
    const onVisible = this.options.onVisible;
    const reached = this.position();
    if (!onVisible || reached <= visibleBefore) return;
    const committedAtMs: number[] = [];
    for (const event of page) {
      if (event.position > visibleBefore && event.position <= reached)
        committedAtMs.push(Date.parse(event.recordedAt));
    }
    if (committedAtMs.length > 0) onVisible(committedAtMs);
  }

  private committed({ unit, applied, failed }: UnitOutcome): void {
    const progress = this.progressOf(unit.projection.name);
    progress.checkpoint = unit.position;
    progress.eventsApplied += applied;
    progress.deadLettered += failed.length;
    if (failed.length > 0) this.lastError = failed[failed.length - 1]?.error ?? null;
    this.options.onCommitted?.({
      projection: unit.projection.name,
      position: unit.position,
      events: applied + failed.length,
    });
  }

  /** The projections being rebuilt by customer that share the first one's cursor (all, in practice). */
  private rebuildingByCustomer(): { projection: Projection; cursor: ByCustomerCursor }[] {
    const rebuilding = this.current.flatMap((projection) => {
      const progress = this.progress.get(projection.name);
      return progress && !this.isPaused(projection.name, progress) && progress.byCustomer
        ? [{ projection, cursor: progress.byCustomer }]
        : [];
    });
    const first = rebuilding[0]?.cursor;
    return rebuilding.filter(({ cursor }) => cursor.head === first?.head && cursor.after === first.after);
  }

  /**
   * One step of a rebuild by customer: the next customers' streams up to the
   * head the rebuild started at, folded `batchSize` events at a time (a long
   * stream continues from the pending document), then one unit per
   * projection. The units commit under a key of their own: the projection's
   * checkpoint stays where it was until every customer is built, then rises
   * to that head, and the runner goes on in log order from there. A crash
   * meanwhile leaves the checkpoint where it was, so the rebuild starts
   * again and finds the customers already built unchanged (their documents
   * hold their last position, and evolve skips what a document holds).
   */
  private async stepByCustomer(
    rebuilding: readonly { projection: Projection; cursor: ByCustomerCursor }[],
  ): Promise<number> {
    const cursor = rebuilding[0]?.cursor;
    if (cursor === undefined) return 0;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    const perStep = Math.max(1, Math.ceil(batchSize / 10));
    const share = this.options.share;
    const page = await nextCustomers(this.events, cursor, perStep * (share?.count ?? 1));
    const { next, done } = page;
    const customers = share
      ? page.customers.filter((customerId) => shareOf(customerId, share.count) === share.index)
      : page.customers;
    const units = rebuilding.map(({ projection }) => ({
      projection,
      pending: new PendingWrites(this.readStore),
      failed: [] as FailedEvent[],
    }));
    let buffer: CustomerEvent[] = [];
    let folded = 0;
    const fold = async (): Promise<void> => {
      for (const unit of units) {
        const { writes, failed } = await this.engine.project(unit.projection, buffer, unit.pending);
        unit.pending.add(writes);
        unit.failed.push(...failed);
      }
      folded += buffer.length;
      buffer = [];
    };
    for (const customerId of customers) {
      for await (const page of customerEventsUpTo(this.events, customerId, cursor.head)) {
        buffer.push(...page);
        if (buffer.length >= batchSize) await fold();
      }
    }
    await fold();
    for (const { projection, pending, failed } of units) {
      const logical = logicalProjectionName(projection.name);
      await this.engine.deadLetter(failed.map((failure) => ({ ...failure, projection: logical })));
      const writes = pending.writes();
      // Customers built before a crash fold to the documents they have: no writes, no unit.
      if (writes.length > 0)
        await this.readStore.commit({
          projection: byCustomerUnit(projection.name),
          position: cursor.head,
          writes,
        });
      // A share leaves the checkpoint to whoever started the shares.
      const complete = done && share === undefined;
      if (complete) await completeRebuildByCustomer(this.readStore, [projection], cursor.head);
      const progress = this.progressOf(projection.name);
      progress.byCustomer = done ? null : next;
      if (complete) progress.checkpoint = cursor.head;
      progress.eventsApplied += folded - failed.length;
      progress.deadLettered += failed.length;
      if (failed.length > 0) this.lastError = failed[failed.length - 1]?.error ?? null;
      this.options.onCommitted?.({
        projection: projection.name,
        position: progress.checkpoint,
        events: folded,
      });
    }
    if (done && share === undefined) this.waiters.wake();
    // Never 0 while customers are left: 0 means "at the head" to the callers.
    return Math.max(folded, 1);
  }

  /** Waits until the log has something for a projection being fed, or until woken. */
  private async idle(woken: AbortSignal): Promise<void> {
    if (this.allPaused()) {
      if (woken.aborted) return;
      await new Promise<void>((resolve) => woken.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    for await (const event of this.events.follow({ after: this.feedPosition(), signal: woken })) {
      void event;
      return;
    }
  }

  private wakeUp(): void {
    this.wake.abort();
    this.wake = new AbortController();
  }
}

function isShare({ index, count, head }: RebuildShare): boolean {
  return (
    Number.isSafeInteger(index) &&
    Number.isSafeInteger(count) &&
    Number.isSafeInteger(head) &&
    index >= 0 &&
    index < count &&
    head >= 0
  );
}

function isList(projections: Projection | readonly Projection[]): projections is readonly Projection[] {
  return Array.isArray(projections);
}

function lowest(checkpoints: readonly number[]): number {
  return checkpoints.length === 0 ? 0 : Math.min(...checkpoints);
}

/**
 * Ends a rebuild by customer up to `head` (every customer built, by one
 * runner or by shares side by side): raises each projection's checkpoint to
 * `head`, from where a runner goes on in log order.
 */
export async function completeRebuildByCustomer(
  readStore: ReadStore,
  projections: readonly Projection[],
  head: number,
): Promise<void> {
  for (const projection of projections)
    await readStore.commit({ projection: projection.name, position: head, writes: [] });
}

/** The checkpoint key a rebuild by customer commits its units under (see stepByCustomer). */
function byCustomerUnit(projection: string): string {
  return `${projection}:by-customer`;
}
