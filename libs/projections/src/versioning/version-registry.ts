import type { CollectionSpec, ReadStore, StoredDocument } from '@crm/read-store';
import { readAll } from '../queries/read-all';

/**
 * Which version of each projection the reads use, kept in the read store so
 * that it survives a restart. A projection without a document is at version 1.
 */
export const PROJECTION_VERSIONS_COLLECTION = 'projection_versions';

export const PROJECTION_VERSIONS_SPEC: CollectionSpec = { name: PROJECTION_VERSIONS_COLLECTION, indexes: [] };

/**
 * The registry's own checkpoint key. Its "position" is a generation counter,
 * raised by one on every switch, so that each registry document is newer
 * than the one it replaces (the store's position guard) even when the log did
 * not move between two rebuilds.
 */
export const PROJECTION_VERSIONS_UNIT = 'projection-versions';

export type ProjectionVersionDocument = StoredDocument & {
  /** The projection's (logical) name. */
  readonly id: string;
  readonly version: number;
  readonly activatedAt: string;
};

export async function loadActiveVersions(store: ReadStore): Promise<Map<string, number>> {
  await store.ensureCollections([PROJECTION_VERSIONS_SPEC]);
  const documents = await readAll<ProjectionVersionDocument>(store, PROJECTION_VERSIONS_COLLECTION);
  return new Map(documents.map((doc) => [doc.id, doc.version]));
}

/** Makes `version` the one reads use, in one commit of the read store. */
export async function activateVersion(
  store: ReadStore,
  projection: string,
  version: number,
  activatedAt: string,
): Promise<void> {
  const generation = (await store.checkpoint(PROJECTION_VERSIONS_UNIT)) + 1;
  const document: ProjectionVersionDocument = { id: projection, position: generation, version, activatedAt };
  await store.commit({
    projection: PROJECTION_VERSIONS_UNIT,
    position: generation,
    writes: [{ kind: 'put', collection: PROJECTION_VERSIONS_COLLECTION, document }],
  });
}
