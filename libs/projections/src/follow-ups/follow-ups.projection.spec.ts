import type { CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import type { StoredDocument, Write } from '@crm/read-store';
import { combineHistories } from '../merge/merged-history';
import type { CustomerEvent, DocumentReader } from '../runner/projection';
import { FOLLOW_UP_SETS_COLLECTION, FOLLOW_UPS_COLLECTION } from './follow-ups.document';
import { followUpsProjection } from './follow-ups.projection';

/** A read store in memory that applies writes as the real ones do: a put only when newer. */
class MemoryStore implements DocumentReader {
  readonly collections = new Map<string, Map<string, StoredDocument>>();

  getMany<T extends StoredDocument>(collection: string, ids: readonly string[]): Promise<T[]> {
    const docs = this.collections.get(collection) ?? new Map<string, StoredDocument>();
    return Promise.resolve(ids.flatMap((id) => (docs.has(id) ? [docs.get(id) as T] : [])));
  }

  apply(writes: readonly Write[]): void {
    for (const write of writes) {
      const docs = this.collections.get(write.collection) ?? new Map<string, StoredDocument>();
      this.collections.set(write.collection, docs);
      if (write.kind === 'put') {
        const stored = docs.get(write.document.id);
        if (stored === undefined || stored.position < write.document.position)
          docs.set(write.document.id, write.document);
      } else if (write.kind === 'delete') docs.delete(write.id);
    }
  }

  documents(collection: string): StoredDocument[] {
    return [...(this.collections.get(collection)?.values() ?? [])];
  }
}

const ann = createEventFactory({ customerId: 'ann', seed: 1 });
const bob = createEventFactory({ customerId: 'bob', seed: 2 });
const at = (day: number) => ({ occurredAt: `2025-01-${String(day).padStart(2, '0')}T09:00:00.000Z` });
const logged = (customerId: string, events: readonly CrmEvent[], first = 1): CustomerEvent[] =>
  events.map((event, index) => ({ customerId, event, position: first + index }));

async function project(store: MemoryStore, batch: readonly CustomerEvent[]): Promise<Write[]> {
  const writes = await followUpsProjection.project(batch, store);
  store.apply(writes);
  return writes;
}

describe('the follow-ups projection', () => {
  it('keeps one worklist document per follow-up, open ones keyed for the worklist', async () => {
    const store = new MemoryStore();
    await project(
      store,
      logged('ann', [
        ann.customerRegistered({}, at(1)),
        ann.followUpScheduled({ followUpId: 'f-1', assignee: 'sam', dueAt: '2025-02-01T10:00:00Z' }, at(2)),
        ann.followUpScheduled(
          { followUpId: 'f-2', assignee: 'kim', dueAt: '2025-02-02T10:00:00.000Z' },
          at(3),
        ),
        ann.followUpCompleted({ followUpId: 'f-2', outcome: 'Called, all good' }, at(4)),
      ]),
    );

    expect(store.documents(FOLLOW_UPS_COLLECTION)).toEqual([
      {
        id: 'ann/f-1',
        // The event that scheduled it, not the batch's last one.
        position: 2,
        customerId: 'ann',
        followUpId: 'f-1',
        assignee: 'sam',
        dueAt: '2025-02-01T10:00:00.000Z',
        scheduledAt: at(2).occurredAt,
        caseId: null,
        state: 'open',
        closedAt: null,
        dueKey: '2025-02-01T10:00:00.000Z\u0001f-1',
        assigneeDueKey: 'sam\u00012025-02-01T10:00:00.000Z\u0001f-1',
      },
      expect.objectContaining({
        id: 'ann/f-2',
        state: 'completed',
        closedAt: at(4).occurredAt,
        dueKey: null,
        assigneeDueKey: null,
      }),
    ]);
  });

  it('holds the same worklist documents whichever batches the log came in (as a rebuild and the live pipeline)', async () => {
    const events = logged('ann', [
      ann.customerRegistered({}, at(1)),
      ann.followUpScheduled({ followUpId: 'f-1', assignee: 'sam' }, at(2)),
      ann.followUpScheduled({ followUpId: 'f-2', assignee: 'kim' }, at(3)),
      ann.followUpReassigned({ followUpId: 'f-1', assignee: 'kim' }, at(4)),
      ann.followUpScheduled({ followUpId: 'f-3', assignee: 'sam' }, at(5)),
    ]);
    const oneBatch = new MemoryStore();
    const eventByEvent = new MemoryStore();

    await project(oneBatch, events);
    for (const event of events) await project(eventByEvent, [event]);

    expect(eventByEvent.documents(FOLLOW_UPS_COLLECTION)).toEqual(oneBatch.documents(FOLLOW_UPS_COLLECTION));
    expect(oneBatch.documents(FOLLOW_UPS_COLLECTION).map((doc) => [doc.id, doc.position])).toEqual([
      ['ann/f-1', 4],
      ['ann/f-2', 3],
      ['ann/f-3', 5],
    ]);
  });

  it('stores neither reason nor outcome (personal data)', async () => {
    const store = new MemoryStore();
    await project(
      store,
      logged('ann', [
        ann.customerRegistered({}, at(1)),
        ann.followUpScheduled({ reason: 'Ask about the divorce settlement' }, at(2)),
        ann.followUpCompleted({ outcome: 'She cried on the phone' }, at(3)),
      ]),
    );
    const json = JSON.stringify([...store.collections.values()].map((docs) => [...docs.values()]));
    expect(json).not.toContain('divorce');
    expect(json).not.toContain('cried');
  });

  it('moves a reassigned follow-up to the new assignee and touches nothing else', async () => {
    const store = new MemoryStore();
    await project(
      store,
      logged('ann', [
        ann.customerRegistered({}, at(1)),
        ann.followUpScheduled({ followUpId: 'f-1', assignee: 'sam' }, at(2)),
        ann.followUpScheduled({ followUpId: 'f-2', assignee: 'sam' }, at(3)),
      ]),
    );
    const writes = await project(
      store,
      logged('ann', [ann.followUpReassigned({ followUpId: 'f-1', assignee: 'kim' }, at(4))], 4),
    );

    const worklistWrites = writes.filter((write) => write.collection === FOLLOW_UPS_COLLECTION);
    expect(worklistWrites).toEqual([
      {
        kind: 'put',
        collection: FOLLOW_UPS_COLLECTION,
        document: expect.objectContaining({ id: 'ann/f-1', assignee: 'kim' }) as unknown,
      },
    ]);
  });

  it('writes nothing when a batch is replayed, nor for events that are not follow-ups', async () => {
    const store = new MemoryStore();
    const batch = logged('ann', [ann.customerRegistered({}, at(1)), ann.followUpScheduled({}, at(2))]);
    await project(store, batch);

    expect(await followUpsProjection.project(batch, store)).toEqual([]);
    expect(await followUpsProjection.project(logged('ann', [ann.callLogged({}, at(3))], 3), store)).toEqual(
      [],
    );
  });

  it('keeps no document for a customer who never had a follow-up', async () => {
    const store = new MemoryStore();
    expect(
      await project(store, logged('ann', [ann.customerRegistered({}, at(1)), ann.callLogged({}, at(2))])),
    ).toEqual([]);
  });

  it("hands a merged customer's follow-ups to the survivor, under the survivor's id", async () => {
    const store = new MemoryStore();
    const merge = { survivorId: 'ann', mergedId: 'bob' };
    const annOwn = logged('ann', [
      ann.customerRegistered({}, at(1)),
      ann.followUpScheduled({ followUpId: 'a-1' }, at(2)),
    ]);
    const bobOwn = logged(
      'bob',
      [
        bob.customerRegistered({}, at(1)),
        bob.followUpScheduled({ followUpId: 'b-1', assignee: 'kim' }, at(3)),
      ],
      3,
    );
    await project(store, [...annOwn, ...bobOwn]);
    const bobSide = logged('bob', [bob.customersMerged(merge, at(5))], 5);
    const annSide = logged('ann', [ann.customersMerged(merge, at(5))], 6);
    const history = combineHistories(annOwn.concat(annSide), [bobOwn.concat(bobSide)]);

    await project(store, [...bobSide, { ...annSide[0]!, mergedHistory: history }]);

    expect(store.documents(FOLLOW_UPS_COLLECTION).map((doc) => [doc.id, doc.customerId])).toEqual([
      ['ann/a-1', 'ann'],
      ['ann/b-1', 'ann'],
    ]);
    expect(store.documents(FOLLOW_UP_SETS_COLLECTION).map((doc) => doc.id)).toEqual(['ann']);
  });

  it('drops the follow-ups of an erased customer (their stream takes no command any more)', async () => {
    const store = new MemoryStore();
    await project(
      store,
      logged('ann', [ann.customerRegistered({}, at(1)), ann.followUpScheduled({}, at(2))]),
    );
    await project(store, logged('ann', [ann.customerErased({}, at(3))], 3));

    expect(store.documents(FOLLOW_UPS_COLLECTION)).toEqual([]);
    expect(store.documents(FOLLOW_UP_SETS_COLLECTION)).toEqual([
      { id: 'ann', position: 3, customerId: 'ann', items: [] },
    ]);
  });

  it('ignores a closing of a follow-up it does not know, and keeps the first of two with one id', async () => {
    const store = new MemoryStore();
    await project(
      store,
      logged('ann', [
        ann.customerRegistered({}, at(1)),
        ann.followUpCancelled({ followUpId: 'ghost' }, at(2)),
        ann.followUpScheduled({ followUpId: 'f-1', assignee: 'sam' }, at(3)),
        ann.followUpScheduled({ followUpId: 'f-1', assignee: 'kim' }, at(4)),
      ]),
    );
    expect(store.documents(FOLLOW_UPS_COLLECTION).map((doc) => [doc.id, doc.assignee])).toEqual([
      ['ann/f-1', 'sam'],
    ]);
  });
});
