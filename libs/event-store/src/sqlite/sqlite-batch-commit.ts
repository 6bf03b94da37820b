import type { Database } from 'better-sqlite3';
import type { AppendResult } from '../event-store.port';
import { EventStoreError } from '../event-store.errors';
import { type AppendRequest, applyAppend } from './sqlite-append-writer';
import type { SqliteStatements } from './sqlite-event-store.statements';
import { StreamHeads } from './stream-heads';

export type Outcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

/** Writes a batch of appends in one transaction: the commit's fsync is shared by all of them. */
export type BatchCommitter = (requests: readonly AppendRequest[], recordedAt: string) => Outcome[];

/**
 * Each request runs in its own SAVEPOINT (a nested better-sqlite3
 * transaction), so a rejected request rolls back only itself. Anything but
 * the port's own errors (I/O, SQLite) aborts the whole batch: it throws.
 */
export function createBatchCommitter(db: Database, sql: SqliteStatements): BatchCommitter {
  const heads = new StreamHeads();
  const applyInSavepoint = db.transaction((request: AppendRequest, recordedAt: string) =>
    applyAppend(sql, request, recordedAt, heads),
  );
  const commitBatch = db.transaction((requests: readonly AppendRequest[], recordedAt: string) => {
    heads.validate(Number(db.pragma('data_version', { simple: true })));
    return requests.map((request) => {
      const outcome = attempt(() => applyInSavepoint(request, recordedAt));
      // Only what its savepoint kept: a rejected request rolled its rows back.
      if (outcome.ok && !outcome.result.duplicate) heads.set(request.streamId, outcome.result.streamRevision);
      return outcome;
    });
  });
  // IMMEDIATE takes the write lock up front, so a second process waits on
  // busy_timeout instead of failing mid-transaction on a lock upgrade.
  return (requests, recordedAt) => {
    try {
      return commitBatch.immediate(requests, recordedAt);
    } catch (error) {
      heads.forget();
      throw error;
    }
  };
}

function attempt(apply: () => AppendResult): Outcome {
  try {
    return { ok: true, result: apply() };
  } catch (error) {
    if (error instanceof EventStoreError) return { ok: false, error };
    throw error;
  }
}
