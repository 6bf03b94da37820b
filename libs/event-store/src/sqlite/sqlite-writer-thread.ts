import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { transpiledWorkerFromSources } from './sqlite-writer.from-sources';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { AppendRequest } from './sqlite-append-writer';
import type { Outcome } from './sqlite-batch-commit';
import { fromWire } from './sqlite-error-wire';
import type { CommitReply, ReadyMessage, WriterInit } from './sqlite-writer.protocol';

function spawnWorker(init: WriterInit): Worker {
  const compiled = join(__dirname, 'sqlite-writer.worker.js');
  const entry = existsSync(compiled) ? compiled : transpiledWorkerFromSources();
  return new Worker(entry, { workerData: init });
}

/** The main thread's handle on the writer thread: one commit at a time, answered in order. */
export class SqliteWriterThread {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: CommitReply) => void>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: CommitReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      resolve?.(reply);
    });
    // A thread's 'error' carries whatever it threw, not always an Error.
    worker.on('error', (error: unknown) =>
      this.fail(error instanceof Error ? error : new Error(String(error))),
    );
    worker.on('exit', (code) => this.fail(new Error(`the writer thread exited (code ${code})`)));
  }

  static async start(init: WriterInit): Promise<SqliteWriterThread> {
    const worker = spawnWorker(init);
    const [ready] = (await once(worker, 'message')) as [ReadyMessage];
    if (!ready.ready) {
      await worker.terminate();
      throw new EventStoreUnavailableError(`Cannot open event store ${init.file}: ${ready.reason}`);
    }
    return new SqliteWriterThread(worker);
  }

  /** Resolves with per-request outcomes; rejects when the batch as a whole did not commit. */
  commit(requests: readonly AppendRequest[], recordedAt: string): Promise<Outcome[]> {
    if (this.failure) return Promise.reject(unavailable(this.failure.message));
    const id = this.nextId++;
    return new Promise<Outcome[]>((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        if (!reply.committed) reject(unavailable(reply.reason));
        else
          resolve(
            reply.outcomes.map((outcome) =>
              outcome.ok ? outcome : { ok: false, error: fromWire(outcome.error) },
            ),
          );
      });
      this.worker.postMessage({ id, requests, recordedAt });
    });
  }

  async stop(): Promise<void> {
    if (this.failure) return;
    this.failure = new Error('the event store is closed');
    const exited = once(this.worker, 'exit');
    this.worker.postMessage('close');
    await exited;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const resolve of this.waiting.values()) resolve({ id: 0, committed: false, reason: error.message });
    this.waiting.clear();
  }
}

function unavailable(reason: string): EventStoreUnavailableError {
  return new EventStoreUnavailableError(`The event store could not commit the append: ${reason}`);
}
