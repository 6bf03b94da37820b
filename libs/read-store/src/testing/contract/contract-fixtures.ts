import { randomUUID } from 'node:crypto';
import type {
  CollectionSpec,
  FindOptions,
  ReadStore,
  Sort,
  StoredDocument,
  Write,
} from '../../read-store.port';

export type StoreGetter = () => ReadStore;

/** A collection no other test (or other run against a shared server) can touch. */
export function newCollection(label = 'c'): string {
  return `${label}_${randomUUID().replace(/-/g, '')}`;
}

export function newProjection(label = 'contract'): string {
  return `${label}-${randomUUID()}`;
}

/** Declares a fresh collection and returns its name. */
export async function declared(store: ReadStore, indexes: CollectionSpec['indexes'] = []): Promise<string> {
  const name = newCollection();
  await store.ensureCollections([{ name, indexes }]);
  return name;
}

export function doc(id: string, position: number, fields: Record<string, unknown> = {}): StoredDocument {
  return { id, position, ...fields };
}

export function put(collection: string, document: StoredDocument): Write {
  return { kind: 'put', collection, document };
}

export function remove(collection: string, id: string, position: number): Write {
  return { kind: 'delete', collection, id, position };
}

/** Writes documents through a projection of their own, at the highest of their positions. */
export async function seed(
  store: ReadStore,
  collection: string,
  documents: readonly StoredDocument[],
): Promise<void> {
  const position = Math.max(0, ...documents.map((document) => document.position));
  await store.commit({
    projection: newProjection('seed'),
    position,
    writes: documents.map((document) => put(collection, document)),
  });
}

export function idsOf(items: readonly { readonly id: string }[]): string[] {
  return items.map((item) => item.id);
}

/** Follows nextCursor to the end; fails instead of looping when a store never stops. */
export async function readAllPages(
  store: ReadStore,
  collection: string,
  options: Omit<FindOptions, 'cursor'>,
  maxPages = 1000,
): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.find(collection, { ...options, cursor });
    ids.push(...idsOf(page.items));
    pageSizes.push(page.items.length);
    cursor = page.nextCursor ?? undefined;
    if (pageSizes.length > maxPages) throw new Error(`Still paging after ${maxPages} pages`);
  } while (cursor !== undefined);
  return { ids, pageSizes };
}

/**
 * The order the port documents, written out independently of any engine:
 * null and missing lowest, numbers numerically, strings by code unit (the
 * same as by UTF-8 byte for the ASCII the tests use), ties by id in the
 * direction of the last key.
 */
export function expectedOrder(documents: readonly StoredDocument[], sort: Sort): string[] {
  const keys = sort.some((key) => key.field === 'id')
    ? sort
    : [...sort, { field: 'id', direction: sort.at(-1)?.direction ?? 'asc' } as const];
  const compare = (left: StoredDocument, right: StoredDocument): number => {
    for (const { field, direction } of keys) {
      const order = compareValues(left[field], right[field]);
      if (order !== 0) return direction === 'asc' ? order : -order;
    }
    return 0;
  };
  return idsOf([...documents].sort(compare));
}

function compareValues(left: unknown, right: unknown): number {
  const [a, b] = [left ?? null, right ?? null];
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a !== typeof b) throw new Error('The reference order only compares values of one type');
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

/** The error a promise rejects with; fails the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it fulfilled');
}
