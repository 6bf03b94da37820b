import type { CollectionSpec, Write } from '@crm/read-store';
import type { DocumentReader, Projection } from '../runner/projection';

/**
 * Versions of a read model, for blue-green rebuilds. Version 1 is the
 * projection as it always was (unversioned collection names and checkpoint,
 * so an existing data directory keeps working); version n ≥ 2 keeps its
 * documents in `<collection>_v<n>` and its checkpoint under `<name>:v<n>`
 * (PROJECTION_NAME allows `:`). Two versions never share a collection, so one
 * can be built from the start of the log beside the live one.
 */
export const FIRST_VERSION = 1;

export function versionedCollection(collection: string, version: number): string {
  return version === FIRST_VERSION ? collection : `${collection}_v${version}`;
}

export function versionedProjectionName(name: string, version: number): string {
  return version === FIRST_VERSION ? name : `${name}:v${version}`;
}

/** The logical projection name of a versioned one (`customer-journey:v2` → `customer-journey`). */
export function logicalProjectionName(name: string): string {
  return name.replace(/:v\d+$/, '');
}

function renamedReader(reader: DocumentReader, physical: (collection: string) => string): DocumentReader {
  return { getMany: (collection, ids) => reader.getMany(physical(collection), ids) };
}

/** The physical collection names of a projection at a version. */
export function collectionsAt(projection: Projection, version: number): string[] {
  return projection.collections.map((spec) => versionedCollection(spec.name, version));
}

/**
 * The projection at a version: the same `project`, reading and writing the
 * version's collections. Version 1 is the projection itself.
 */
export function atVersion(projection: Projection, version: number): Projection {
  if (version === FIRST_VERSION) return projection;
  const physical = (collection: string): string => versionedCollection(collection, version);
  const collections: CollectionSpec[] = projection.collections.map((spec) => ({
    ...spec,
    name: physical(spec.name),
  }));
  return {
    name: versionedProjectionName(projection.name, version),
    collections,
    perCustomer: projection.perCustomer,
    async project(batch, reader) {
      const writes = await projection.project(batch, renamedReader(reader, physical));
      return writes.map((write): Write => ({ ...write, collection: physical(write.collection) }));
    },
    ...(projection.retract && {
      retract: async (customerIds: readonly string[], reader: DocumentReader): Promise<Write[]> => {
        const writes = (await projection.retract?.(customerIds, renamedReader(reader, physical))) ?? [];
        return writes.map((write): Write => ({ ...write, collection: physical(write.collection) }));
      },
    }),
  };
}
