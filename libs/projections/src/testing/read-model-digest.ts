import { createHash } from 'node:crypto';
import type { ReadStore, StoredDocument } from '@crm/read-store';
import { MAX_LIMIT } from '@crm/read-store';

/** Every document of the collections, in id order: what "equal read models" means in tests. */
export async function dumpCollections(
  store: ReadStore,
  collections: readonly string[],
): Promise<Record<string, StoredDocument[]>> {
  const dump: Record<string, StoredDocument[]> = {};
  for (const collection of collections) {
    const documents: StoredDocument[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.find(collection, { limit: MAX_LIMIT, cursor });
      documents.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    dump[collection] = documents;
  }
  return dump;
}

export async function digestOf(store: ReadStore, collections: readonly string[]): Promise<string> {
  return createHash('sha256')
    .update(JSON.stringify(await dumpCollections(store, collections)))
    .digest('hex');
}
