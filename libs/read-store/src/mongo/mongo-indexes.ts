import { type Collection, type Document, MongoServerError } from 'mongodb';

export type MongoIndex = {
  readonly key: Record<string, 1>;
  readonly name: string;
  /** Whether an existing index is one this one replaces (the same field's, declared otherwise before). */
  readonly replaces: (name: string) => boolean;
};

/**
 * Creates the indexes a collection lacks, one command each. FerretDB 1.24
 * drops the connection (a server-side panic) when one `createIndexes`
 * command names several indexes that all exist already, which is every
 * start after the first; asking first and creating one at a time avoids
 * it, and costs nothing once they exist. Two processes racing to create the
 * same index both succeed: creating an existing index with the same key
 * and name is a no-op. An index it replaces is dropped first; a process
 * racing to drop it too finds it gone (IndexNotFound), which is fine.
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly MongoIndex[],
): Promise<void> {
  if (indexes.length === 0) return;
  const existing = new Set((await collection.indexes()).flatMap((index) => index.name ?? []));
  for (const index of indexes) {
    for (const name of [...existing].filter(index.replaces)) await dropIndex(collection, name);
    if (!existing.has(index.name)) await collection.createIndex(index.key, { name: index.name });
  }
}

const INDEX_NOT_FOUND = 27;

async function dropIndex<T extends Document>(collection: Collection<T>, name: string): Promise<void> {
  try {
    await collection.dropIndex(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === INDEX_NOT_FOUND)) throw error;
  }
}
