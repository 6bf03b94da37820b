import type { EventStore } from '@crm/event-store';
import { atVersion, CUSTOMER_PROJECTIONS, loadActiveVersions, ProjectionRunner } from '@crm/projections';
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
  const reached = new Map<string, number>(projections.map((projection) => [projection.name, 0]));
  let applied = 0;
  const runner = new ProjectionRunner(events, readStore, projections, {
    batchSize: options.batchSize,
    onCommitted: ({ projection, position, events: count }) => {
      reached.set(projection, position);
      if (projection === projections[0]?.name) applied += count;
      options.onProgress?.({ position: Math.min(...reached.values()), head });
    },
  });
  await runner.catchUp();
  return { events: applied, head };
}
