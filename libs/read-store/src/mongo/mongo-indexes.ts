import type { Collection, Document } from 'mongodb';

export type IndexSpec = { readonly key: Record<string, 1>; readonly name: string };

/**
 * Creates the indexes a collection lacks, one command each. FerretDB 1.24
 * drops the connection (a server-side panic) when one `createIndexes`
 * command names several indexes that all exist already, which is every
 * start after the first; asking first and creating one at a time avoids
 * it, and costs nothing once they exist. Two processes racing to create the
 * same index both succeed: creating an existing index with the same key
 * and name is a no-op.
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly IndexSpec[],
): Promise<void> {
  if (indexes.length === 0) return;
  const existing = new Set((await collection.indexes()).map((index) => index.name));
  for (const index of indexes) {
    if (!existing.has(index.name)) await collection.createIndex(index.key, { name: index.name });
  }
}
