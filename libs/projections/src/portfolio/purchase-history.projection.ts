import type { StoredDocument } from '@crm/read-store';
import {
  changeWrites,
  type DocumentChange,
  foldWithMerges,
  groupByCustomer,
  type Projection,
} from '../runner/projection';
import { cohortWrites, countCohort } from './cohort-counters';
import { foldPurchaseHistory } from './purchase-history.fold';
import {
  COHORT_COUNTERS_COLLECTION,
  PURCHASE_HISTORY_COLLECTION,
  type PurchaseHistoryDocument,
} from './purchase-history.document';

type Doc = PurchaseHistoryDocument & StoredDocument;

/**
 * Portfolio analysis: each customer's purchases and refunds (what a
 * predicted-value fit reads, cut at its calibration end), and every
 * purchaser counted into one counter set per cohort month, so a cohort
 * table reads a few counter sets, not the customers. The increments are the
 * change from the stored document to the new one: a replayed batch finds the
 * documents already changed and adds nothing; a merge deletes the merged
 * customer's document (taking them out of their cohort) and refolds the
 * survivor's.
 */
export const purchaseHistoryProjection: Projection = {
  name: 'customer-portfolio',
  perCustomer: true,
  collections: [
    { name: PURCHASE_HISTORY_COLLECTION, indexes: [] },
    { name: COHORT_COUNTERS_COLLECTION, indexes: [], kind: 'counters' },
  ],
  async project(batch, reader) {
    const byCustomer = groupByCustomer(batch);
    const stored = await reader.getMany<Doc>(PURCHASE_HISTORY_COLLECTION, [...byCustomer.keys()]);
    const docs = new Map(stored.map((doc) => [doc.id, doc] as const));
    const changes: DocumentChange<Doc>[] = [];
    for (const [customerId, events] of byCustomer) {
      const change = foldWithMerges<Doc>(docs.get(customerId) ?? null, events, (doc, evs) =>
        foldPurchaseHistory(customerId, doc, evs),
      );
      if (change !== null) changes.push(change);
    }
    const increments = new Map<string, Map<string, number>>();
    for (const { before, after } of changes) {
      countCohort(after, increments, 1);
      countCohort(before, increments, -1);
    }
    return [...changeWrites(PURCHASE_HISTORY_COLLECTION, changes), ...cohortWrites(increments)];
  },
  async retract(customerIds, reader) {
    const stored = await reader.getMany<Doc>(PURCHASE_HISTORY_COLLECTION, customerIds);
    const increments = new Map<string, Map<string, number>>();
    for (const doc of stored) countCohort(doc, increments, -1);
    return cohortWrites(increments);
  },
};
