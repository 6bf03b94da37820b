import type { EventStore } from '@crm/event-store';
import { atVersion, CUSTOMER_PROJECTIONS, loadActiveVersions, ProjectionRunner } from '@crm/projections';
import type { ReadStore } from '@crm/read-store';

/** Events folded so far, out of the log's head when the rebuild started. */
export type RebuildProgress = { readonly events: number; readonly head: number };

export type RebuildSummary = { readonly events: number; readonly head: number };

/**
 * Resets every customer projection (collections and checkpoint) and replays
 * the log into them from the start. Run it with no API on the same read
 * store: a live runner would keep writing while the collections are cleared.
 */
export async function rebuildReadModels(
  events: EventStore,
  readStore: ReadStore,
  options: { readonly batchSize?: number; readonly onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildSummary> {
  // The versions reads are served from (an admin blue-green rebuild may have moved one past v1).
  const active = await loadActiveVersions(readStore);
  const projections = CUSTOMER_PROJECTIONS.map((projection) =>
    atVersion(projection, active.get(projection.name) ?? 1),
  );
  for (const projection of projections) {
    await readStore.ensureCollections(projection.collections);
    await readStore.resetProjection(
      projection.name,
      projection.collections.map((collection) => collection.name),
    );
  }
  const head = await events.headPosition();
  let applied = 0;
  // The projections are rebuilt together, customer by customer: the first one's count is the progress.
  const runner = new ProjectionRunner(events, readStore, projections, {
    batchSize: options.batchSize,
    onCommitted: ({ projection, events: count }) => {
      if (projection !== projections[0]?.name) return;
      applied += count;
      options.onProgress?.({ events: Math.min(applied, head), head });
    },
  });
  await runner.catchUp();
  return { events: applied, head };
}
