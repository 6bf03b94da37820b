import { MongoServerError, type Db, type Document } from 'mongodb';
import type { CheckedIndex, CheckedSpec } from '../core/collection-spec.validation';
import type { MongoIndex } from './mongo-indexes';

/**
 * Checkpoints live beside the read models, in a collection whose name no
 * read model can take (COLLECTION_NAME starts with a letter).
 */
export const CHECKPOINTS = '_read_store_checkpoints';

export type CheckpointDocument = { _id: string; position: number };

/**
 * Which collections hold counter sets: both kinds are plain MongoDB
 * collections, so the kind is recorded beside the checkpoints and document
 * operations on a counters collection are refused as on SQLite.
 */
const COUNTER_COLLECTIONS = '_read_store_counter_collections';

export type CollectionKind = 'documents' | 'counters';

export async function markCounters(db: Db, name: string): Promise<void> {
  await db
    .collection<{ _id: string }>(COUNTER_COLLECTIONS)
    .updateOne({ _id: name }, { $setOnInsert: { _id: name } }, { upsert: true });
}

export async function isCounters(db: Db, name: string): Promise<boolean> {
  return (await db.collection<{ _id: string }>(COUNTER_COLLECTIONS).findOne({ _id: name })) !== null;
}

/** A read model as stored: the document as put, under its `id` as `_id`. */
export type StoredRow = Document & { _id: string };

/** NamespaceExists: another process created the collection first. */
const NAMESPACE_EXISTS = 48;

/**
 * Collections are created explicitly: MongoDB creates them on first write,
 * but the port refuses collections that were never declared, so existence
 * has to mean "declared".
 */
export async function createCollection(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
  }
}

/**
 * One index on (field, _id) per declared field, with its carried fields
 * after `_id`: the `_id` tie-break of every sort is then read from the index
 * too, in either direction, and a filter on a carried field is checked on
 * the index keys. `id` is `_id`, which MongoDB always indexes.
 */
export function indexesOf(spec: CheckedSpec): MongoIndex[] {
  return spec.indexes.map((index) => ({
    key: Object.fromEntries([index.field, '_id', ...index.carries].map((name) => [name, 1 as const])),
    name: indexName(index),
    replaces: (name: string) => name !== indexName(index) && isIndexOf(name, index.field),
  }));
}

/**
 * FerretDB's SQLite backend keeps index names in SQLite, where names ignore
 * case: `netRevenue` and `netrevenue` would collide. Marking each capital
 * keeps the names apart. A carried field adds `+<field>`; `+` is in no
 * field name, so a field's names share one prefix.
 */
function indexName({ field, carries }: CheckedIndex): string {
  const marked = (name: string): string => name.replace(/[A-Z]/g, (capital) => `^${capital.toLowerCase()}`);
  return [`ix_${marked(field)}`, ...carries.map(marked)].join('+');
}

function isIndexOf(name: string, field: string): boolean {
  const plain = indexName({ field, carries: [] });
  return name === plain || name.startsWith(`${plain}+`);
}

export async function collectionExists(db: Db, name: string): Promise<boolean> {
  const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
  return found.length > 0;
}
