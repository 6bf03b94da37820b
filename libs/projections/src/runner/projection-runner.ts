import { CUSTOMER_STREAM_PREFIX, toCrmEvent } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import type { CustomerEvent, Projection } from './projection';

export type RunnerOptions = {
  /** Events per unit of work (one read-store transaction per projection). */
  readonly batchSize?: number;
  /** Called after each committed unit, e.g. for progress or metrics. */
  readonly onCommitted?: (progress: {
    readonly projection: string;
    readonly position: number;
    readonly events: number;
  }) => void;
};

export type RunnerStatus = {
  readonly projection: string;
  readonly state: 'idle' | 'running' | 'stopped' | 'failed';
  readonly checkpoint: number;
  readonly eventsApplied: number;
  readonly lastError: string | null;
};

type Progress = { checkpoint: number; eventsApplied: number };

const DEFAULT_BATCH = 500;

/**
 * Follows the global log and feeds one or more projections from a single
 * read of it. Each projection keeps its own checkpoint, committed in the
 * same unit of work as the documents a batch produced, so a crash at any
 * point resumes from the last committed batch and converges to the same
 * documents as a clean rebuild; a projection that is behind (say, being
 * rebuilt) is fed the events it has not applied yet and catches up.
 */
export class ProjectionRunner {
  readonly projections: readonly Projection[];
  private readonly progress = new Map<string, Progress>();
  private state: RunnerStatus['state'] = 'idle';
  private lastError: string | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    projections: Projection | readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.projections = Array.isArray(projections) ? projections : [projections as Projection];
    if (this.projections.length === 0) throw new RangeError('A runner needs at least one projection');
  }

  /** Creates the collections and loads the checkpoints. */
  async prepare(): Promise<void> {
    for (const projection of this.projections) {
      await this.readStore.ensureCollections(projection.collections);
      const checkpoint = await this.readStore.checkpoint(projection.name);
      this.progress.set(projection.name, { checkpoint, eventsApplied: 0 });
    }
  }

  /** Applies everything committed to the log up to now; returns the position every projection reached. */
  async catchUp(): Promise<number> {
    await this.prepare();
    const head = await this.events.headPosition();
    while (this.position() < head) {
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
        const applied = await this.step();
        if (applied === 0) await this.nextEvent(signal);
      }
      this.state = 'stopped';
    } catch (error) {
      this.state = 'failed';
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  /** The log position every projection of this runner has applied. */
  position(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const { checkpoint } of this.progress.values()) lowest = Math.min(lowest, checkpoint);
    return Number.isFinite(lowest) ? lowest : 0;
  }

  /** Resolves true once every projection reflects `position`, or false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.position() < position) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  status(): RunnerStatus[] {
    return this.projections.map((projection) => {
      const progress = this.progress.get(projection.name) ?? { checkpoint: 0, eventsApplied: 0 };
      return { projection: projection.name, state: this.state, lastError: this.lastError, ...progress };
    });
  }

  /** Reads one page after the lowest checkpoint and commits it to every projection; returns the page size. */
  private async step(): Promise<number> {
    const page = await this.events.readAll({
      after: this.position(),
      limit: this.options.batchSize ?? DEFAULT_BATCH,
    });
    const last = page[page.length - 1];
    if (!last) return 0;
    const batch = page.filter(isCustomerEvent).map(toCustomerEvent);
    for (const projection of this.projections) await this.apply(projection, batch, last.position);
    for (const wake of [...this.waiters]) wake();
    return page.length;
  }

  private async apply(projection: Projection, batch: readonly CustomerEvent[], upTo: number): Promise<void> {
    const progress = this.progress.get(projection.name);
    if (!progress || progress.checkpoint >= upTo) return;
    const unseen = batch.filter((e) => e.position > progress.checkpoint);
    const writes = unseen.length > 0 ? await projection.project(unseen, this.readStore) : [];
    await this.readStore.commit({ projection: projection.name, position: upTo, writes });
    progress.checkpoint = upTo;
    progress.eventsApplied += unseen.length;
    this.options.onCommitted?.({ projection: projection.name, position: upTo, events: unseen.length });
  }

  /** Waits until the log has something after the lowest checkpoint. */
  private async nextEvent(signal: AbortSignal): Promise<void> {
    for await (const event of this.events.follow({ after: this.position(), signal })) {
      void event;
      return;
    }
  }
}

function isCustomerEvent(recorded: RecordedEvent): boolean {
  return recorded.streamId.startsWith(CUSTOMER_STREAM_PREFIX);
}

function toCustomerEvent(recorded: RecordedEvent): CustomerEvent {
  return {
    customerId: recorded.streamId.slice(CUSTOMER_STREAM_PREFIX.length),
    event: toCrmEvent(recorded),
    position: recorded.position,
  };
}
