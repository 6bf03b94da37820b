import type { StoredDocument, Write } from '@crm/read-store';
import { type DocumentChange, foldWithMerges, groupByCustomer, type Projection } from '../runner/projection';
import {
  assigneeKeyPrefix,
  dueKeyOf,
  FOLLOW_UP_SETS_COLLECTION,
  FOLLOW_UPS_COLLECTION,
  type FollowUpDocument,
  followUpDocumentId,
  type FollowUpItem,
  type FollowUpSetDocument,
} from './follow-ups.document';
import { foldFollowUpSet } from './follow-ups.fold';

type SetDoc = FollowUpSetDocument & StoredDocument;

/**
 * Follow-ups (domain.md, "Follow-ups"): per customer, the set of their
 * follow-ups (follow_up_sets, folded with merges like every per-customer
 * read model), and one worklist document per follow-up (follow_ups),
 * written as the difference between the stored set and the new one in the
 * same unit. A merged customer's set is deleted with their worklist
 * documents; the survivor's set is folded from its merged history, which
 * holds the merged customer's follow-ups, so they come back under the
 * survivor's id. A replayed batch finds the sets already changed and writes
 * nothing.
 */
export const followUpsProjection: Projection = {
  name: 'follow-ups',
  perCustomer: true,
  collections: [
    { name: FOLLOW_UP_SETS_COLLECTION, indexes: [] },
    { name: FOLLOW_UPS_COLLECTION, indexes: ['assigneeDueKey', 'dueKey', 'customerId'] },
  ],
  async project(batch, reader) {
    const byCustomer = groupByCustomer(batch);
    const stored = await reader.getMany<SetDoc>(FOLLOW_UP_SETS_COLLECTION, [...byCustomer.keys()]);
    const sets = new Map(stored.map((doc) => [doc.id, doc] as const));
    const writes: Write[] = [];
    for (const [customerId, events] of byCustomer) {
      const change = foldWithMerges<SetDoc>(sets.get(customerId) ?? null, events, (doc, evs) =>
        foldFollowUpSet(customerId, doc, evs),
      );
      if (change !== null) writes.push(...setWrites(customerId, change));
    }
    return writes;
  },
};

/** The set's own write, and a put or delete for each follow-up that differs between before and after. */
function setWrites(customerId: string, change: DocumentChange<SetDoc>): Write[] {
  const { before, after, position } = change;
  const writes: Write[] = [
    after === null
      ? { kind: 'delete', collection: FOLLOW_UP_SETS_COLLECTION, id: customerId, position }
      : { kind: 'put', collection: FOLLOW_UP_SETS_COLLECTION, document: after },
  ];
  const old = new Map((before?.items ?? []).map((item) => [item.followUpId, item] as const));
  const now = new Map((after?.items ?? []).map((item) => [item.followUpId, item] as const));
  for (const [followUpId, item] of now) {
    if (sameItem(old.get(followUpId), item)) continue;
    writes.push({
      kind: 'put',
      collection: FOLLOW_UPS_COLLECTION,
      document: worklistDocument(customerId, item),
    });
  }
  for (const followUpId of old.keys()) {
    if (now.has(followUpId)) continue;
    const id = followUpDocumentId(customerId, followUpId);
    writes.push({ kind: 'delete', collection: FOLLOW_UPS_COLLECTION, id, position });
  }
  return writes;
}

function sameItem(a: FollowUpItem | undefined, b: FollowUpItem): boolean {
  return (
    a !== undefined &&
    a.assignee === b.assignee &&
    a.dueAt === b.dueAt &&
    a.scheduledAt === b.scheduledAt &&
    a.caseId === b.caseId &&
    a.state === b.state &&
    a.closedAt === b.closedAt &&
    a.position === b.position
  );
}

export function worklistDocument(customerId: string, item: FollowUpItem): FollowUpDocument & StoredDocument {
  const open = item.state === 'open';
  const dueKey = dueKeyOf(item.dueAt, item.followUpId);
  return {
    ...item,
    id: followUpDocumentId(customerId, item.followUpId),
    customerId,
    dueKey: open ? dueKey : null,
    assigneeDueKey: open ? `${assigneeKeyPrefix(item.assignee)}${dueKey}` : null,
  };
}
