import { CUSTOMER_STREAM_PREFIX, toCrmEvent } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import type { CustomerEvent, Projection } from './projection';

export type RunnerOptions = {
  /** Events per unit of work (one read-store transaction). */
  readonly batchSize?: number;
  /** Called after each committed batch, e.g. for progress or metrics. */
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

const DEFAULT_BATCH = 500;

/**
 * Follows the global log from the projection's stored checkpoint and applies
 * events in order. Each batch's writes and its new checkpoint are committed as
 * one unit, so a crash at any point resumes from the last committed batch and
 * converges to the same documents as a clean rebuild.
 */
export class ProjectionRunner {
  private checkpoint = 0;
  private eventsApplied = 0;
  private state: RunnerStatus['state'] = 'idle';
  private lastError: string | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection,
    private readonly options: RunnerOptions = {},
  ) {}

  /** Creates the collections and loads the checkpoint. */
  async prepare(): Promise<void> {
    await this.readStore.ensureCollections(this.projection.collections);
    this.checkpoint = await this.readStore.checkpoint(this.projection.name);
  }

  /** Applies everything committed to the log up to now; returns the checkpoint reached. */
  async catchUp(): Promise<number> {
    await this.prepare();
    const head = await this.events.headPosition();
    while (this.checkpoint < head) {
      if ((await this.step()) === 0) break;
    }
    return this.checkpoint;
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

  /** Resolves once the projection reflects `position`, or with false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.checkpoint < position) return;
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

  status(): RunnerStatus {
    return {
      projection: this.projection.name,
      state: this.state,
      checkpoint: this.checkpoint,
      eventsApplied: this.eventsApplied,
      lastError: this.lastError,
    };
  }

  /** Projects and commits one batch; returns how many events it applied. */
  private async step(): Promise<number> {
    const page = await this.events.readAll({
      after: this.checkpoint,
      limit: this.options.batchSize ?? DEFAULT_BATCH,
    });
    const last = page[page.length - 1];
    if (!last) return 0;
    const batch = page.filter(isCustomerEvent).map(toCustomerEvent);
    const writes = batch.length > 0 ? await this.projection.project(batch, this.readStore) : [];
    await this.readStore.commit({ projection: this.projection.name, position: last.position, writes });
    this.checkpoint = last.position;
    this.eventsApplied += batch.length;
    this.options.onCommitted?.({
      projection: this.projection.name,
      position: last.position,
      events: batch.length,
    });
    for (const wake of [...this.waiters]) wake();
    return page.length;
  }

  /** Waits until the log has something after the checkpoint. */
  private async nextEvent(signal: AbortSignal): Promise<void> {
    for await (const event of this.events.follow({ after: this.checkpoint, signal })) {
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
