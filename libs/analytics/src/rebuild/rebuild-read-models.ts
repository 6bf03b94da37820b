import type { EventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS, ProjectionRunner } from '@crm/projections';
import type { ReadStore } from '@crm/read-store';

export type RebuildProgress = { readonly position: number; readonly head: number };

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
  for (const projection of CUSTOMER_PROJECTIONS) {
    await readStore.ensureCollections(projection.collections);
    await readStore.resetProjection(
      projection.name,
      projection.collections.map((collection) => collection.name),
    );
  }
  const head = await events.headPosition();
  const reached = new Map<string, number>(CUSTOMER_PROJECTIONS.map((projection) => [projection.name, 0]));
  let applied = 0;
  const runner = new ProjectionRunner(events, readStore, CUSTOMER_PROJECTIONS, {
    batchSize: options.batchSize,
    onCommitted: ({ projection, position, events: count }) => {
      reached.set(projection, position);
      if (projection === CUSTOMER_PROJECTIONS[0]?.name) applied += count;
      options.onProgress?.({ position: Math.min(...reached.values()), head });
    },
  });
  await runner.catchUp();
  return { events: applied, head };
}
