import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { EventStore } from '@crm/event-store';
import { atVersion, customerProjections, ProjectionRunner } from '@crm/projections';
import { type ReadStore, ThreadWriteLock } from '@crm/read-store';
import { CounterDeferringReadStore } from './counter-deferring-read-store';
import type { ShareInput, ShareMessage } from './rebuild-share.protocol';

export type ShareStores = { readonly events: EventStore; readonly readStore: ReadStore };

/**
 * Opens a share's own connections: the log as the rebuild reads it, and the
 * read store committing under `writeLock` (an SQLite read store: pass it as
 * SqliteReadStore's `writeLock`). `data` is RebuildWorkers.data.
 */
export type OpenShareStores = (context: {
  readonly writeLock: ThreadWriteLock;
  readonly data: unknown;
}) => Promise<ShareStores>;

/**
 * The body of a rebuild worker script (RebuildWorkers.script): builds the
 * share of the customers its workerData names with stores it opens itself,
 * reporting progress to the thread that started it.
 */
export function serveRebuildShare(open: OpenShareStores): void {
  const port = parentPort;
  if (isMainThread || port === null)
    throw new Error('serveRebuildShare runs in a worker thread started by rebuildReadModels');
  const input = workerData as ShareInput;
  buildShare(input, open, port).then(
    () => send(port, { kind: 'done' }),
    (error: unknown) => {
      send(port, { kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
    },
  );
}

async function buildShare(input: ShareInput, open: OpenShareStores, port: MessagePort): Promise<void> {
  const { events, readStore } = await open({
    writeLock: new ThreadWriteLock(input.writeLock),
    data: input.data,
  });
  try {
    const versions = new Map(input.versions);
    const projections = customerProjections(
      input.churnWindowDays,
      input.blindIndexKey,
      input.attributionWindowDays,
    ).map((projection) => atVersion(projection, versions.get(projection.name) ?? 1));
    const first = projections[0]?.name;
    // Counters summed in memory and written in few units: see CounterDeferringReadStore.
    const deferring = new CounterDeferringReadStore(readStore);
    const runner = new ProjectionRunner(events, deferring, projections, {
      batchSize: input.batchSize,
      share: input.share,
      onCommitted: ({ projection, events: count }) => {
        if (projection === first) send(port, { kind: 'progress', events: count });
      },
    });
    await runner.catchUp();
    await deferring.flush();
  } finally {
    await Promise.allSettled([events.close(), readStore.close()]);
  }
}

function send(port: MessagePort, message: ShareMessage): void {
  port.postMessage(message);
}
