/**
 * The writer thread of the embedded store. SQLite with synchronous=FULL
 * fsyncs on every commit; doing that here keeps the main thread (HTTP,
 * projections) running while the disk flushes, and the next group of appends
 * gathers meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createBatchCommitter } from './sqlite-batch-commit';
import { toWire } from './sqlite-error-wire';
import { applyPragmas, createSchema } from './sqlite-event-store.schema';
import { prepareStatements } from './sqlite-event-store.statements';
import type {
  CommitMessage,
  CommitReply,
  ReadyMessage,
  WriterInit,
  WireOutcome,
} from './sqlite-writer.protocol';

function start(port: NonNullable<typeof parentPort>, init: WriterInit): void {
  let db: Database.Database;
  try {
    db = new Database(init.file);
    applyPragmas(db, init.busyTimeoutMs);
    createSchema(db);
  } catch (error) {
    port.postMessage({ ready: false, reason: String(error) } satisfies ReadyMessage);
    return;
  }
  const commit = createBatchCommitter(db, prepareStatements(db));
  port.on('message', (message: CommitMessage | 'close') => {
    if (message === 'close') {
      db.close();
      port.close();
      return;
    }
    port.postMessage(run(commit, message));
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
}

function run(commit: ReturnType<typeof createBatchCommitter>, message: CommitMessage): CommitReply {
  try {
    const outcomes = commit(message.requests, message.recordedAt).map((outcome): WireOutcome =>
      outcome.ok ? outcome : { ok: false, error: toWire(outcome.error) },
    );
    return { id: message.id, committed: true, outcomes };
  } catch (error) {
    return {
      id: message.id,
      committed: false,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

if (parentPort) start(parentPort, workerData as WriterInit);
