import { createHash } from 'node:crypto';
import { MAX_LIMIT, type ReadStore, type StoredDocument, UnknownCollectionError } from '@crm/read-store';

/**
 * Every document of the collections in id order, and every counter set of
 * the counters collections among them (as a document at position 0 holding
 * its counters as sorted pairs): what "equal read models" means in tests.
 */
export async function dumpCollections(
  store: ReadStore,
  collections: readonly string[],
): Promise<Record<string, StoredDocument[]>> {
  const dump: Record<string, StoredDocument[]> = {};
  for (const collection of collections) {
    try {
      dump[collection] = await allDocuments(store, collection);
    } catch (error) {
      if (!(error instanceof UnknownCollectionError)) throw error;
      dump[collection] = await allCounterSets(store, collection);
    }
  }
  return dump;
}

async function allDocuments(store: ReadStore, collection: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.find(collection, { limit: MAX_LIMIT, cursor });
    documents.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return documents;
}

async function allCounterSets(store: ReadStore, collection: string): Promise<StoredDocument[]> {
  const sets = await store.rangeCounters(collection, { from: '', to: '\uffff' });
  return sets.map((set) => ({
    id: set.id,
    position: 0,
    counters: [...set.counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  }));
}

export async function digestOf(store: ReadStore, collections: readonly string[]): Promise<string> {
  return createHash('sha256')
    .update(JSON.stringify(await dumpCollections(store, collections)))
    .digest('hex');
}
