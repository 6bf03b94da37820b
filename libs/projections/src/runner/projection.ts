import type { CollectionSpec, StoredDocument, Write } from '@crm/read-store';
import { absorbs, mergedAway } from '../merge/merged-history';
import type { ProjectedEvent } from '../shared';

/** One event of a customer stream, as a runner hands it to a projection. */
export type CustomerEvent = ProjectedEvent & {
  readonly customerId: string;
  /**
   * On a CustomersMerged of the survivor's stream: the survivor's whole
   * effective history up to and including it (merge/merged-history.ts),
   * attached by the runtime, which reads the log (withMergedHistories). A
   * projection folds it from nothing in place of the stored document.
   */
  readonly mergedHistory?: readonly ProjectedEvent[];
};

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
  return (await foldChanges(batch, reader, collection, fold)).flatMap((change) =>
    change.after === null ? [] : [change.after],
  );
}

/**
 * A document a batch changed, with what was stored before (null for a new
 * one). `after` is null when the customer was merged into another: the
 * document is deleted at `position`, the merge's.
 */
export type DocumentChange<D> = {
  readonly before: D | null;
  readonly after: D | null;
  readonly position: number;
};

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
    const change = foldWithMerges(before, events, fold);
    if (change !== null) changed.push(change);
  }
  return changed;
}

/**
 * One customer's events folded into their document, merges included: a
 * merge the document has not applied yet either takes the merged customer's
 * document away (their stream's CustomersMerged: their history now counts
 * as the survivor's) or has the survivor's effective history folded from
 * nothing, then the events after it. Null when nothing changed.
 *
 * @throws Error when a survivor's merge comes without its history: folding
 * it as an ordinary event would silently lose the merged customer's history,
 * so the event is left out as a dead letter instead.
 */
export function foldWithMerges<D extends StoredDocument>(
  before: D | null,
  events: readonly CustomerEvent[],
  fold: Fold<D>,
): DocumentChange<D> | null {
  const pending = before === null ? events : events.filter((e) => e.position > before.position);
  const away = pending.find((e) => mergedAway(e.event, e.customerId));
  if (away !== undefined) return before === null ? null : { before, after: null, position: away.position };
  let last = -1;
  pending.forEach((e, index) => {
    if (!absorbs(e.event, e.customerId)) return;
    if (e.mergedHistory === undefined)
      throw new Error(`CustomersMerged at ${e.position} reached a projection without the merged history`);
    last = index;
  });
  const merge = pending[last];
  const after =
    merge?.mergedHistory === undefined
      ? fold(before, events)
      : fold(null, [...merge.mergedHistory, ...pending.slice(last + 1)]);
  if (after === null || after === before) return null;
  return { before, after, position: after.position };
}

/** The writes of a batch's document changes: puts, and deletes of the customers merged away. */
export function changeWrites<D extends StoredDocument>(
  collection: string,
  changes: readonly DocumentChange<D>[],
): Write[] {
  return changes.map((change): Write =>
    change.after === null
      ? { kind: 'delete', collection, id: change.before?.id ?? '', position: change.position }
      : { kind: 'put', collection, document: change.after },
  );
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
