import { Slicer } from '@crm/platform/slicing';
import { MAX_LIMIT, type ReadStore, type StoredDocument } from '@crm/read-store';

/**
 * Every document of a collection, in id order, read MAX_LIMIT at a time.
 * The embedded store answers each page synchronously: between pages the
 * event loop gets a turn every slice, so a large collection does not hold
 * off other requests until the last page.
 */
export async function readAll<T extends StoredDocument>(
  store: ReadStore,
  collection: string,
  slicer: Slicer = new Slicer(),
): Promise<T[]> {
  const documents: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.find<T>(collection, { limit: MAX_LIMIT, cursor });
    documents.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    await slicer.tick();
  } while (cursor !== undefined);
  return documents;
}
