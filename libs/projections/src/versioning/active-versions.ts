import type { ReadStore } from '@crm/read-store';
import type { Projection } from '../runner/projection';
import { FIRST_VERSION, versionedCollection } from './projection-version';

/**
 * The version of each projection that reads use, in memory, and the
 * translation of a logical collection name (`journeys`) to the collection of
 * that version (`journeys_v2`). A version being built is never in here, so a
 * read cannot see it half-built.
 */
export class ActiveVersions {
  private readonly owners = new Map<string, string>();
  private readonly versions: Map<string, number>;

  constructor(projections: readonly Projection[], versions: ReadonlyMap<string, number> = new Map()) {
    for (const projection of projections)
      for (const spec of projection.collections) this.owners.set(spec.name, projection.name);
    this.versions = new Map(versions);
  }

  versionOf(projection: string): number {
    return this.versions.get(projection) ?? FIRST_VERSION;
  }

  set(projection: string, version: number): void {
    this.versions.set(projection, version);
  }

  /** Collections no projection declares (say, dead letters) are not versioned. */
  resolve(collection: string): string {
    const owner = this.owners.get(collection);
    return owner === undefined ? collection : versionedCollection(collection, this.versionOf(owner));
  }
}

/**
 * The read store as query services see it: every read goes to the active
 * version's collection. Writes, checkpoints and resets pass through with the
 * names given (projections write physical collections themselves).
 */
export function resolvingReadStore(store: ReadStore, versions: ActiveVersions): ReadStore {
  const at = (collection: string): string => versions.resolve(collection);
  return {
    ensureCollections: (specs) => store.ensureCollections(specs),
    get: (collection, id) => store.get(at(collection), id),
    getMany: (collection, ids, options) => store.getMany(at(collection), ids, options),
    find: (collection, options) => store.find(at(collection), options),
    count: (collection, filter) => store.count(at(collection), filter),
    getCounters: (collection, ids) => store.getCounters(at(collection), ids),
    rangeCounters: (collection, range) => store.rangeCounters(at(collection), range),
    sumCounters: (collection, sums) => store.sumCounters(at(collection), sums),
    commit: (unit) => store.commit(unit),
    checkpoint: (projection) => store.checkpoint(projection),
    resetProjection: (projection, collections) => store.resetProjection(projection, collections),
    close: () => store.close(),
  };
}
