import type { CollectionSpec, StoredDocument, Write } from '@crm/read-store';
import type { ProjectedEvent } from '../shared';

/** One event of a customer stream, as a runner hands it to a projection. */
export type CustomerEvent = ProjectedEvent & { readonly customerId: string };

/** What a projection may read while it decides its writes: the documents as committed so far. */
export type DocumentReader = {
  getMany<T extends StoredDocument>(collection: string, ids: readonly string[]): Promise<T[]>;
};

/**
 * A read model fed by the log. `project` turns a batch of events (in log
 * order) into writes; the runner commits them together with the new
 * checkpoint, so a batch is applied whole or not at all.
 */
export interface Projection {
  /** Stable name: the checkpoint's key. */
  readonly name: string;
  readonly collections: readonly CollectionSpec[];
  project(batch: readonly CustomerEvent[], reader: DocumentReader): Promise<Write[]>;
}

type Evolve<D> = (doc: D | null, e: ProjectedEvent) => D | null;

/**
 * Folds a batch into one document per customer: read each touched document
 * once, evolve it through the customer's events in log order, and put it
 * back once (the read store wants one write per document per unit).
 */
export async function foldPerCustomer<D extends StoredDocument>(
  batch: readonly CustomerEvent[],
  reader: DocumentReader,
  collection: string,
  evolve: Evolve<D>,
  onEvolved?: (e: CustomerEvent, doc: D | null) => void,
): Promise<Map<string, D>> {
  const ids = [...new Set(batch.map((e) => e.customerId))];
  const docs = new Map<string, D | null>(ids.map((id) => [id, null]));
  for (const doc of await reader.getMany<D>(collection, ids)) docs.set(doc.id, doc);
  const changed = new Map<string, D>();
  for (const e of batch) {
    const before = docs.get(e.customerId) ?? null;
    const after = evolve(before, e);
    docs.set(e.customerId, after);
    if (after !== null && after !== before) changed.set(e.customerId, after);
    onEvolved?.(e, after);
  }
  return changed;
}

export function putsOf(collection: string, documents: Iterable<StoredDocument>): Write[] {
  return [...documents].map((document) => ({ kind: 'put', collection, document }));
}
