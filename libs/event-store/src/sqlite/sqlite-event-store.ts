import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  FollowOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port';
import { EventStoreError, EventStoreUnavailableError } from '../event-store.errors';
import { createBatchCommitter } from './sqlite-batch-commit';
import { BackgroundCheckpointer } from './sqlite-checkpointer';
import { validateAppend } from './sqlite-append.validation';
import { CommitNotifier } from './commit-notifier';
import { applyPragmas, createSchema } from './sqlite-event-store.schema';
import {
  prepareStatements,
  toRecordedEvent,
  type ReadAllParams,
  type SqliteStatements,
} from './sqlite-event-store.statements';
import { type Committer, GroupCommitQueue, type GroupCommitStats } from './sqlite-group-commit';

export type SqliteEventStoreOptions = {
  /** Database file, e.g. `data/events.sqlite`; its directory is created. `:memory:` works for throwaway stores. */
  readonly file: string;
  /**
   * How often a caught-up follower checks for appends made by other
   * processes. Default 10. The check is SQLite's `PRAGMA data_version` (a
   * counter in shared memory, no page read), so a short interval is cheap:
   * the log is re-read only when another connection committed.
   */
  readonly pollIntervalMs?: number;
  /** How long a flush waits for another process's write lock. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** Bounds of one group-commit flush. Defaults 1000 requests, 10,000 events. */
  readonly maxRequestsPerFlush?: number;
  readonly maxEventsPerFlush?: number;
  /** Source of recordedAt. Default: the system clock. */
  readonly now?: () => Date;
  /**
   * Where WAL checkpoints run: `background` (the default for a file) on a
   * worker thread of this store's, after commits, at most every
   * `checkpointIntervalMs` (default 100); `inline`, SQLite's default, in the
   * commit that crosses 1,000 WAL pages. See BackgroundCheckpointer.
   */
  readonly checkpoints?: 'background' | 'inline';
  readonly checkpointIntervalMs?: number;
  /** A background checkpoint failed (the inline backstop takes over). Default: a process warning. */
  readonly onCheckpointError?: (error: Error) => void;
};

export type SqliteEventStoreStats = GroupCommitStats & {
  /** Background checkpoints run, WAL frames they copied, and failures (all 0 when inline). */
  readonly checkpoints: {
    readonly checkpoints: number;
    readonly framesCopied: number;
    readonly failures: number;
  };
};

const DEFAULT_FOLLOW_BATCH = 500;
const DEFAULT_POLL_MS = 10;
/**
 * With background checkpoints, the committing connection still checkpoints
 * inline past this many WAL pages (16 MB at 4 KB pages): the backstop.
 */
const BACKSTOP_CHECKPOINT_PAGES = 4000;

/** The embedded adapter: one SQLite file in WAL mode, appends group-committed. */
export class SqliteEventStore implements EventStore {
  private readonly sql: SqliteStatements;
  private readonly commits = new CommitNotifier();
  private readonly writer: GroupCommitQueue;
  private readonly checkpointer: BackgroundCheckpointer | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly pollIntervalMs: number,
    options: SqliteEventStoreOptions,
  ) {
    this.sql = prepareStatements(db);
    this.checkpointer = backgroundCheckpoints(options)
      ? new BackgroundCheckpointer(
          options.file,
          options.checkpointIntervalMs ?? 100,
          options.onCheckpointError ?? ((error) => process.emitWarning(error)),
        )
      : undefined;
    this.writer = new GroupCommitQueue(
      inlineCommitter(db, this.sql),
      { maxRequests: options.maxRequestsPerFlush ?? 1000, maxEvents: options.maxEventsPerFlush ?? 10_000 },
      options.now ?? (() => new Date()),
      () => {
        this.commits.notify();
        this.checkpointer?.committed();
      },
    );
  }

  /** Opens the file (creating it and its directory); async like the other adapters' `open`. */
  static open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return Promise.resolve().then(() => SqliteEventStore.openNow(options));
  }

  private static openNow(options: SqliteEventStoreOptions): SqliteEventStore {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    let db: Database.Database | undefined;
    try {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      db = new Database(options.file);
      applyPragmas(db, busyTimeoutMs);
      if (backgroundCheckpoints(options)) db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      createSchema(db);
      return new SqliteEventStore(db, options.pollIntervalMs ?? DEFAULT_POLL_MS, options);
    } catch (cause) {
      db?.close();
      if (cause instanceof EventStoreUnavailableError) throw cause;
      throw new EventStoreUnavailableError(`Cannot open event store ${options.file}`, { cause });
    }
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    if (this.closing) throw new EventStoreUnavailableError('The event store is closing');
    return this.writer.enqueue(validateAppend(streamId, events, options.expectedRevision ?? 'any'));
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const params = { streamId, fromRevision: options.fromRevision ?? 0, limit: options.limit ?? -1 };
    const { types } = options;
    return this.query(() =>
      (types === undefined
        ? this.sql.readStream.all(params)
        : this.sql.readStreamOfTypes.all({ ...params, types: JSON.stringify(types) })
      ).map(toRecordedEvent),
    );
  }

  streamRevision(streamId: string): Promise<number | null> {
    return this.query(() => this.sql.streamRevision.get(streamId)?.revision ?? null);
  }

  streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return this.query(() => {
      if (streamIds.length === 0) return new Map<string, number>();
      const rows = this.sql.streamRevisions.all(JSON.stringify(streamIds));
      const revisions = new Map<string, number>();
      for (const row of rows) if (row.revision !== null) revisions.set(row.stream_id, row.revision);
      return revisions;
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.query(() => this.readAllNow(options));
  }

  /**
   * Never skips or repeats: positions are assigned under SQLite's single write
   * lock, so everything after `cursor` that is not visible yet commits later.
   * If the store is closed underneath it, the next read throws EventStoreUnavailableError.
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<RecordedEvent> {
    const { signal, batchSize: requested = DEFAULT_FOLLOW_BATCH, after = 0, ...filter } = options;
    const batchSize = Math.max(1, Math.trunc(requested));
    let cursor = after;
    while (!signal?.aborted) {
      // Both marks are taken before the read: a commit after them, ours or another process's, ends the wait.
      // (Closed, the read below throws the port's error.)
      const seen = { local: this.commits.current, elsewhere: this.closed ? 0 : this.dataVersion() };
      const page = await this.readAll({ ...filter, after: cursor, limit: batchSize });
      for (const event of page) {
        if (signal?.aborted) return;
        yield event;
        cursor = event.position;
      }
      // A short page means caught up: wait for a commit of ours or another process's.
      if (page.length < batchSize) await this.untilCommitted(seen, signal);
    }
  }

  headPosition(): Promise<number> {
    return this.query(() => this.sql.headPosition.get()?.position ?? 0);
  }

  /** Group-commit counters, e.g. to see how many appends shared each transaction. */
  stats(): SqliteEventStoreStats {
    const checkpoints = this.checkpointer?.stats() ?? { checkpoints: 0, framesCopied: 0, failures: 0 };
    return { ...this.writer.stats(), checkpoints };
  }

  /** Writes what is queued, then closes; appends after this call are refused. */
  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      try {
        await this.writer.drain();
      } finally {
        // Its connection goes first: closing the last one checkpoints the WAL into the file.
        await this.checkpointer?.stop();
        this.closed = true;
        this.db.close();
        this.commits.notify();
      }
    })();
    return this.closing;
  }

  private readAllNow({ after = 0, limit = -1, types, streamPrefix }: ReadAllOptions): RecordedEvent[] {
    // "Only these types" with no types selects nothing, rather than silently everything.
    if (types?.length === 0) return [];
    const prefix = streamPrefix === '' ? undefined : streamPrefix;
    const params: ReadAllParams = { after, limit, types: types && JSON.stringify(types), prefix };
    return this.readAllStatement(types !== undefined, prefix !== undefined)
      .all(params)
      .map(toRecordedEvent);
  }

  private readAllStatement(byType: boolean, byPrefix: boolean) {
    const statements = this.sql.readAll;
    if (byType) return byPrefix ? statements.byTypeAndPrefix : statements.byType;
    return byPrefix ? statements.byPrefix : statements.plain;
  }

  /** Reads are synchronous in better-sqlite3; this gives them the port's async shape and error types. */
  /**
   * Resolves on this store's next commit after `since.local`, on a commit by
   * any other connection (another process) after `since.elsewhere`, or on
   * abort. `data_version` changes only for other connections' commits, and
   * reading it touches no page, so it is polled rather than the log itself.
   * Both marks come from before the follower's last read of the log: taken
   * after it, a commit landing in between would be counted as seen and the
   * follower would sleep through it until the next commit.
   */
  private async untilCommitted(
    since: { readonly local: number; readonly elsewhere: number },
    signal: AbortSignal | undefined,
  ): Promise<void> {
    while (!signal?.aborted && !this.closed && this.commits.current === since.local) {
      if (this.dataVersion() !== since.elsewhere) return;
      await this.commits.wait(since.local, this.pollIntervalMs, signal);
    }
  }

  private dataVersion(): number {
    return Number(this.db.pragma('data_version', { simple: true }));
  }

  private query<T>(read: () => T): Promise<T> {
    try {
      this.assertOpen();
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error instanceof EventStoreError ? error : unavailable(error));
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/** Commits on this thread: the group commit's fsync blocks it, which measured cheaper than a thread hop. */
function backgroundCheckpoints(options: SqliteEventStoreOptions): boolean {
  return options.file !== ':memory:' && (options.checkpoints ?? 'background') === 'background';
}

function inlineCommitter(db: Database.Database, sql: SqliteStatements): Committer {
  const commit = createBatchCommitter(db, sql);
  return (requests, recordedAt) => Promise.resolve().then(() => commit(requests, recordedAt));
}

function unavailable(cause: unknown): EventStoreUnavailableError {
  return new EventStoreUnavailableError('The event store could not be read', { cause });
}
