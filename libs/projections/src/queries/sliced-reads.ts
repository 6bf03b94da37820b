import { Slicer } from '@crm/platform/slicing';
import type { ReadStore } from '@crm/read-store';

/**
 * The read store as the query routes use it: a read that comes once the
 * slice has run its time (5 ms, Slicer) starts after a turn of the event
 * loop. The SQLite store answers on this thread and an awaited promise that
 * is already settled resumes before any I/O, so a query made of several
 * reads (a 12-month KPI report at 100,000 customers: ~25 ms in five reads)
 * would otherwise run from its first read to its last without letting an
 * ingest or a journey read in (docs/architecture.md, "Long reads share the
 * event loop"). Only the query routes read through this: the projections
 * read without a turn, so a write is still applied as soon as it is committed.
 */
export function slicedReads(store: ReadStore, slicer: Slicer = new Slicer()): ReadStore {
  const nextTurn = (): Promise<void> => slicer.tick();
  return {
    ensureCollections: (specs) => store.ensureCollections(specs),
    get: (collection, id) => nextTurn().then(() => store.get(collection, id)),
    getMany: (collection, ids, options) => nextTurn().then(() => store.getMany(collection, ids, options)),
    find: (collection, options) => nextTurn().then(() => store.find(collection, options)),
    count: (collection, filter) => nextTurn().then(() => store.count(collection, filter)),
    getCounters: (collection, ids) => nextTurn().then(() => store.getCounters(collection, ids)),
    rangeCounters: (collection, range) => nextTurn().then(() => store.rangeCounters(collection, range)),
    sumCounters: (collection, sums) => nextTurn().then(() => store.sumCounters(collection, sums)),
    commit: (unit) => store.commit(unit),
    checkpoint: (projection) => store.checkpoint(projection),
    resetProjection: (projection, collections) => store.resetProjection(projection, collections),
    close: () => store.close(),
  };
}
