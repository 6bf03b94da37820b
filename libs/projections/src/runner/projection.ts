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
  /**
   * Every document belongs to one customer and follows from that customer's
   * events alone. Such a projection starting from nothing is rebuilt stream
   * by stream (each customer's history folded at once) instead of in log
   * order, which would touch a different customer at almost every event.
   */
  readonly perCustomer?: boolean;
  project(batch: readonly CustomerEvent[], reader: DocumentReader): Promise<Write[]>;
  /**
   * For a projection that adds its customers into shared counters: the
   * writes that take these customers' stored documents back out of them, so
   * that documents rebuilt from nothing (a dead letter retried or skipped)
   * can be counted afresh in the same unit.
   */
  retract?(customerIds: readonly string[], reader: DocumentReader): Promise<Write[]>;
}

/**
 * Applies a customer's events (log order) to their document: the result
 * `events.reduce(evolve, doc)` would give, without mutating `doc`; `doc`
 * itself when none applied. A projection's fold may work on a private copy,
 * which is what makes a batch cheaper than one new document per event.
 */
export type Fold<D> = (doc: D | null, events: readonly ProjectedEvent[]) => D | null;

/**
 * Folds a batch into one document per customer: read each touched document
 * once, fold in the customer's events of the batch (log order), and put it
 * back once (the read store wants one write per document per unit).
 */
export async function foldPerCustomer<D extends StoredDocument>(
  batch: readonly CustomerEvent[],
  reader: DocumentReader,
  collection: string,
  fold: Fold<D>,
): Promise<D[]> {
  return (await foldChanges(batch, reader, collection, fold)).map((change) => change.after);
}

/** A document a batch changed, with what was stored before (null for a new one). */
export type DocumentChange<D> = { readonly before: D | null; readonly after: D };

/** As foldPerCustomer, keeping each changed document's stored version beside it. */
export async function foldChanges<D extends StoredDocument>(
  batch: readonly CustomerEvent[],
  reader: DocumentReader,
  collection: string,
  fold: Fold<D>,
): Promise<DocumentChange<D>[]> {
  const byCustomer = groupByCustomer(batch);
  const stored = await reader.getMany<D>(collection, [...byCustomer.keys()]);
  const docs = new Map(stored.map((doc) => [doc.id, doc] as const));
  const changed: DocumentChange<D>[] = [];
  for (const [customerId, events] of byCustomer) {
    const before = docs.get(customerId) ?? null;
    const after = fold(before, events);
    if (after !== null && after !== before) changed.push({ before, after });
  }
  return changed;
}

/** The batch split by customer, each customer's events in log order. */
export function groupByCustomer(batch: readonly CustomerEvent[]): Map<string, CustomerEvent[]> {
  const groups = new Map<string, CustomerEvent[]>();
  for (const e of batch) {
    const group = groups.get(e.customerId);
    if (group) group.push(e);
    else groups.set(e.customerId, [e]);
  }
  return groups;
}

export function putsOf(collection: string, documents: Iterable<StoredDocument>): Write[] {
  return [...documents].map((document) => ({ kind: 'put', collection, document }));
}
