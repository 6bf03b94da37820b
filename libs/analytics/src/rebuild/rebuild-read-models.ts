import type { EventStore } from '@crm/event-store';
import {
  atVersion,
  completeRebuildByCustomer,
  customerProjections,
  loadActiveVersions,
  ProjectionRunner,
} from '@crm/projections';
import type { ReadStore } from '@crm/read-store';
import { CounterDeferringReadStore } from './counter-deferring-read-store';
import { buildInShares, type RebuildWorkers } from './rebuild-shares';

/** Events folded so far, out of the log's head when the rebuild started. */
export type RebuildProgress = { readonly events: number; readonly head: number };

export type RebuildSummary = {
  readonly events: number;
  readonly head: number;
  /** Threads that built the customers (1: this one). */
  readonly workers: number;
};

export type RebuildOptions = {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Build the customers in worker threads side by side; by default in this thread. */
  readonly workers?: RebuildWorkers;
  /** CHURN_WINDOW_DAYS: the KPI counters count active customers with it. Default 180. */
  readonly churnWindowDays?: number;
  /** CAMPAIGN_ATTRIBUTION_WINDOW_DAYS: the campaign members hold the attribution made with it. Default 7. */
  readonly attributionWindowDays?: number;
  /** BLIND_INDEX_KEY: the identity index is rebuilt too (the API's PROJECTIONS have it). */
  readonly blindIndexKey?: Uint8Array | null;
};

/**
 * Resets every customer projection (collections and checkpoint) and replays
 * the log into them from the start. Run it with no API on the same read
 * store: a live runner would keep writing while the collections are cleared.
 *
 * The projections are rebuilt customer by customer up to the head at the
 * start, in this thread or in `workers.count` threads (each a share of the
 * customers), then go on in log order over whatever was appended meanwhile.
 */
export async function rebuildReadModels(
  events: EventStore,
  readStore: ReadStore,
  options: RebuildOptions = {},
): Promise<RebuildSummary> {
  // The versions reads are served from (an admin blue-green rebuild may have moved one past v1).
  const active = await loadActiveVersions(readStore);
  const versionOf = (name: string): number => active.get(name) ?? 1;
  const customer = customerProjections(
    options.churnWindowDays,
    options.blindIndexKey ?? null,
    options.attributionWindowDays,
  );
  const projections = customer.map((projection) => atVersion(projection, versionOf(projection.name)));
  const versions = customer.map((projection) => [projection.name, versionOf(projection.name)] as const);
  for (const projection of projections) {
    await readStore.ensureCollections(projection.collections);
    await readStore.resetProjection(
      projection.name,
      projection.collections.map((collection) => collection.name),
    );
  }
  const head = await events.headPosition();
  let applied = 0;
  const progress = (count: number): void => {
    applied += count;
    options.onProgress?.({ events: Math.min(applied, head), head });
  };
  const workers = options.workers;
  const threads = workers && workers.count > 1 && head > 0 ? workers.count : 1;
  if (workers && threads > 1) {
    await buildInShares(
      workers,
      {
        head,
        versions,
        batchSize: options.batchSize,
        churnWindowDays: options.churnWindowDays,
        attributionWindowDays: options.attributionWindowDays,
        blindIndexKey: options.blindIndexKey ?? null,
      },
      progress,
    );
  } else if (head > 0) {
    // This thread builds the one share there is, holding the counters back as the threads do.
    const deferring = new CounterDeferringReadStore(readStore);
    const first = projections[0]?.name;
    await new ProjectionRunner(events, deferring, projections, {
      batchSize: options.batchSize,
      share: { index: 0, count: 1, head },
      onCommitted: ({ projection, events: count }) => {
        if (projection === first) progress(count);
      },
    }).catchUp();
    await deferring.flush();
  }
  if (head > 0) await completeRebuildByCustomer(readStore, projections, head);
  // The projections are rebuilt together: the first one's count is the progress.
  const runner = new ProjectionRunner(events, readStore, projections, {
    batchSize: options.batchSize,
    onCommitted: ({ projection, events: count }) => {
      if (projection === projections[0]?.name) progress(count);
    },
  });
  await runner.catchUp();
  return { events: applied, head, workers: threads };
}
