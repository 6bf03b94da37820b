import { Worker } from 'node:worker_threads';
import { ThreadWriteLock } from '@crm/read-store';
import type { ShareInput, ShareMessage } from './rebuild-share.protocol';

/**
 * The young generation of each share's thread. Left to V8, it grows to some
 * 200 MB per thread: a share allocates fast and keeps little (its live heap
 * stays under 40 MB at 1,000,000 events), so the nursery, not the data, made
 * most of the rebuild's peak RSS (750 MB with two threads; 470 MB with this
 * cap, for the same CPU time: a step's documents outlive a small nursery
 * either way).
 */
const SHARE_YOUNG_GENERATION_MB = 48;

/** How a rebuild spreads the customers over worker threads. */
export type RebuildWorkers = {
  /** Threads building shares of the customers side by side; 1 builds everything in the calling thread. */
  readonly count: number;
  /** A script that calls serveRebuildShare (it opens the stores: each thread needs its own connections). */
  readonly script: string;
  readonly execArgv?: readonly string[];
  /** The threads' process.env; by default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Handed to the script's OpenShareStores as is (structured-cloned), e.g. where the stores are. */
  readonly data?: unknown;
};

export type SharedRebuild = {
  readonly head: number;
  readonly versions: ShareInput['versions'];
  readonly batchSize: number | undefined;
  readonly churnWindowDays: number | undefined;
  readonly attributionWindowDays: number | undefined;
  readonly blindIndexKey: Uint8Array | null;
};

/**
 * Builds every customer's documents up to `head` in `workers.count` threads,
 * each its share (see shareOf), committing under one ThreadWriteLock.
 * `onEvents` hears each committed unit's events. If a share fails, the others
 * are stopped and the rebuild rejects naming it; what was committed stays
 * (units are atomic) and a rebuild started again redoes it.
 */
export async function buildInShares(
  workers: RebuildWorkers,
  rebuild: SharedRebuild,
  onEvents: (events: number) => void,
): Promise<void> {
  const writeLock = ThreadWriteLock.buffer();
  const { count } = workers;
  const threads = Array.from({ length: count }, (_, index) => {
    const input: ShareInput = {
      share: { index, count, head: rebuild.head },
      versions: rebuild.versions,
      batchSize: rebuild.batchSize,
      churnWindowDays: rebuild.churnWindowDays,
      attributionWindowDays: rebuild.attributionWindowDays,
      blindIndexKey: rebuild.blindIndexKey,
      writeLock,
      data: workers.data,
    };
    return new Worker(workers.script, {
      workerData: input,
      execArgv: [...(workers.execArgv ?? [])],
      env: workers.env ?? process.env,
      resourceLimits: { maxYoungGenerationSizeMb: SHARE_YOUNG_GENERATION_MB },
    });
  });
  try {
    await Promise.all(
      threads.map((thread, index) => shareFinished(thread, `${index + 1} of ${count}`, onEvents)),
    );
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

function shareFinished(thread: Worker, share: string, onEvents: (events: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    thread.on('message', (message: ShareMessage) => {
      if (message.kind === 'progress') onEvents(message.events);
      else if (message.kind === 'done') {
        done = true;
        resolve();
      } else reject(new Error(`Rebuild share ${share} failed: ${message.message}`));
    });
    // A thread's 'error' carries whatever it threw, not always an Error.
    thread.on('error', (error: unknown) =>
      reject(
        new Error(
          `Rebuild share ${share} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      ),
    );
    thread.on('exit', (code) => {
      if (!done) reject(new Error(`Rebuild share ${share} stopped (exit ${code}) before it was built`));
    });
  });
}
