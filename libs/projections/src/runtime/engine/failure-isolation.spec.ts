import type { StoredDocument, Write } from '@crm/read-store';
import { isolateFailures } from './failure-isolation';
import type { CustomerEvent, DocumentReader, Projection } from '../../runner/projection';

type Counter = StoredDocument & { readonly count: number; readonly seen: readonly string[] };

function eventOf(customerId: string, eventId: string, position: number): CustomerEvent {
  return {
    customerId,
    position,
    event: { eventId, type: 'CallLogged' } as CustomerEvent['event'],
  };
}

/** Counts each customer's events in one document; throws on the event ids given. */
function counting(failOn: ReadonlySet<string>, calls: string[] = []): Projection {
  return {
    name: 'counting',
    collections: [{ name: 'counters', indexes: [] }],
    async project(batch, reader) {
      calls.push(batch.map((e) => e.event.eventId).join(','));
      const bad = batch.find((e) => failOn.has(e.event.eventId));
      if (bad) throw new Error(`bad ${bad.event.eventId}`);
      const docs = new Map<string, Counter>();
      const ids = [...new Set(batch.map((e) => e.customerId))];
      for (const doc of await reader.getMany<Counter>('counters', ids)) docs.set(doc.id, doc);
      for (const e of batch) {
        const before = docs.get(e.customerId);
        docs.set(e.customerId, {
          id: e.customerId,
          position: e.position,
          count: (before?.count ?? 0) + 1,
          seen: [...(before?.seen ?? []), e.event.eventId],
        });
      }
      return [...docs.values()].map((document): Write => ({ kind: 'put', collection: 'counters', document }));
    },
  };
}

const EMPTY: DocumentReader = { getMany: () => Promise.resolve([]) };

describe('isolateFailures', () => {
  const batch = [
    eventOf('a', 'a1', 1),
    eventOf('b', 'b1', 2),
    eventOf('a', 'a2', 3),
    eventOf('a', 'a3', 4),
    eventOf('b', 'b2', 5),
  ];

  it('applies every other event, the failing customer event by event over its own earlier writes', async () => {
    const outcome = await isolateFailures(counting(new Set(['a2'])), batch, EMPTY, 2);

    expect(outcome.failed).toEqual([{ event: batch[2], error: 'bad a2', attempts: 2 }]);
    const documents = outcome.writes.map((write) => (write.kind === 'put' ? write.document : null));
    expect(documents).toEqual([
      { id: 'a', position: 4, count: 2, seen: ['a1', 'a3'] },
      { id: 'b', position: 5, count: 2, seen: ['b1', 'b2'] },
    ]);
  });

  it('tries a failing event the given number of times, and a succeeding customer once', async () => {
    const calls: string[] = [];
    await isolateFailures(counting(new Set(['a2']), calls), batch, EMPTY, 3);
    expect(calls).toEqual(['a1,a2,a3', 'a1', 'a2', 'a2', 'a2', 'a3', 'b1,b2']);
  });

  it('reads committed documents for what the batch has not written yet', async () => {
    const stored: DocumentReader = {
      getMany: <T extends StoredDocument>() =>
        Promise.resolve([{ id: 'a', position: 0, count: 10, seen: [] }] as unknown as T[]),
    };
    const outcome = await isolateFailures(counting(new Set(['a1'])), batch.slice(0, 3), stored, 1);
    const a = outcome.writes.find((write) => write.kind === 'put' && write.document.id === 'a');
    expect(a?.kind === 'put' && a.document['count']).toBe(11);
  });
});
