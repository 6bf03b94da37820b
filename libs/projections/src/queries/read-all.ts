import { MAX_LIMIT, type ReadStore, type StoredDocument } from '@crm/read-store';

/** Every document of a collection, in id order, read MAX_LIMIT at a time. */
export async function readAll<T extends StoredDocument>(store: ReadStore, collection: string): Promise<T[]> {
  const documents: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.find<T>(collection, { limit: MAX_LIMIT, cursor });
    documents.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return documents;
}
