import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a worker thread, off the thread that commits.
 *
 * In WAL mode a commit appends pages to the `-wal` file; a checkpoint copies
 * them back into the database file and fsyncs it. SQLite's default runs that
 * checkpoint inside the commit that crosses 1,000 WAL pages, on the
 * committing thread: with better-sqlite3 that is the event loop, so every
 * request waiting behind that commit waits for the copy too. SQLite's own
 * advice for this case is to run checkpoints from another thread: this
 * worker holds its own connection and runs `wal_checkpoint(PASSIVE)`, which
 * never blocks a writer or a reader, at most every `intervalMs` while
 * commits keep coming.
 *
 * The committing connection keeps a higher `wal_autocheckpoint` as a
 * backstop: should the worker lag or die, that connection checkpoints
 * itself once the WAL passes it (and, the worker having copied most pages
 * already, that inline checkpoint is short and lets the next commit start
 * the WAL over from its beginning).
 */
export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private counters = { checkpoints: 0, framesCopied: 0, failures: 0 };

  constructor(
    private readonly file: string,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Called after each commit: a checkpoint follows within `intervalMs`. */
  committed(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (!this.running && this.timer === undefined) {
      this.timer = setTimeout(() => this.run(), this.intervalMs);
      this.timer.unref();
    }
  }

  stats(): { checkpoints: number; framesCopied: number; failures: number } {
    return { ...this.counters };
  }

  /**
   * Ends the thread and resolves with its exit code (0: it closed its
   * connection and returned; null: no thread ran). The thread is asked to
   * stop, not terminated: a stop arriving while it still loads the SQLite
   * addon waits for the load, since a thread torn down in the middle of an
   * addon's initialisation aborts the whole process (seen once in CI:
   * "FATAL ERROR: Error::New napi_get_last_error_info"). A checkpoint under
   * way finishes first: PASSIVE with busy_timeout 0 never waits for a lock.
   */
  async stop(): Promise<number | null> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return null;
    // Not events.once: it rejects on 'error', and a thread that failed to start has reported that already.
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    worker.postMessage(STOP);
    // A thread that has not returned by then is past any addon load: ending it is safe.
    const overdue = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(overdue);
    }
  }

  private run(): void {
    this.timer = undefined;
    if (this.stopped || !this.dirty) return;
    this.dirty = false;
    this.running = true;
    this.thread().postMessage('checkpoint');
  }

  private finished(result: CheckpointResult): void {
    this.running = false;
    if ('error' in result) {
      this.counters.failures += 1;
      this.onError(new Error(`background WAL checkpoint failed: ${result.error}`));
    } else {
      this.counters.checkpoints += 1;
      this.counters.framesCopied += result.checkpointed;
    }
    if (this.dirty) this.committed();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(CHECKPOINT_THREAD, {
      eval: true,
      workerData: { file: this.file, driver: require.resolve('better-sqlite3') },
    });
    worker.unref();
    worker.on('message', (result: CheckpointResult) => this.finished(result));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    worker.on('error', (error: Error) => {
      // The backstop (the committing connection's own autocheckpoint) takes over.
      this.worker = undefined;
      this.running = false;
      this.counters.failures += 1;
      this.onError(error);
    });
    this.worker = worker;
    return worker;
  }
}

type CheckpointResult = { readonly checkpointed: number } | { readonly error: string };

/**
 * The thread's whole program. Plain JavaScript given to the Worker as text,
 * so it runs the same from the build and from the TypeScript sources (tests);
 * the driver's path comes from this thread, which resolved it.
 * busy_timeout 0: a PASSIVE checkpoint does what it can without waiting.
 */
const STOP = 'stop';
/** How long a stop waits for the thread to return before ending it. */
const STOP_GRACE_MS = 10_000;
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
parentPort.on('message', (message) => {
  if (message === '${STOP}') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpointed: Math.max(0, Number(row && row.checkpointed) || 0) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
});
`;
