import { randomUUID } from 'node:crypto';
import {
  eventIds,
  isStrictlyIncreasing,
  newEvent,
  newEvents,
  newStreamId,
  type StoreGetter,
} from './contract-fixtures';

export function readContract(store: StoreGetter): void {
  describe('reading a stream', () => {
    it('returns nothing and revision null for a stream that does not exist', async () => {
      const streamId = newStreamId();
      expect(await store().readStream(streamId)).toEqual([]);
      expect(await store().streamRevision(streamId)).toBeNull();
    });

    it('gives the revisions of several streams at once, leaving out those that do not exist', async () => {
      const [one, three, missing] = [newStreamId(), newStreamId(), newStreamId()];
      await store().append(one, newEvents(1));
      await store().append(three, newEvents(3));
      const revisions = await store().streamRevisions([three, missing, one, three]);
      expect(revisions).toEqual(
        new Map([
          [three, 2],
          [one, 0],
        ]),
      );
      expect(await store().streamRevisions([])).toEqual(new Map());
    });

    it('reads from a revision, up to a limit', async () => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(6));
      const page = await store().readStream(streamId, { fromRevision: 2, limit: 3 });
      expect(page.map((event) => event.revision)).toEqual([2, 3, 4]);
      expect(await store().readStream(streamId, { fromRevision: 6 })).toEqual([]);
    });

    it('reads only the asked types, keeping their revisions, from a revision and up to a limit of them', async () => {
      const streamId = newStreamId();
      const [wanted, other] = [`Wanted_${randomUUID()}`, `Other_${randomUUID()}`];
      const types = [wanted, other, other, wanted, other, wanted, wanted];
      await store().append(
        streamId,
        types.map((type) => newEvent({ type })),
      );
      const revisions = async (options: { fromRevision?: number; limit?: number }) =>
        (await store().readStream(streamId, { ...options, types: [wanted] })).map((event) => event.revision);
      expect(await revisions({})).toEqual([0, 3, 5, 6]);
      expect(await revisions({ fromRevision: 1, limit: 2 })).toEqual([3, 5]);
      expect(await revisions({ fromRevision: 6, limit: 5 })).toEqual([6]);
      expect(await store().readStream(streamId, { types: [] })).toEqual([]);
      expect(await store().readStream(newStreamId(), { types: [wanted] })).toEqual([]);
    });
  });

  describe('reading the log', () => {
    it('orders events of different streams by strictly increasing position', async () => {
      const prefix = `${newStreamId('log')}-`;
      for (const name of ['a', 'b', 'a', 'c', 'b']) await store().append(prefix + name, newEvents(2));
      const all = await store().readAll({ streamPrefix: prefix });
      expect(all).toHaveLength(10);
      expect(isStrictlyIncreasing(all.map((event) => event.position))).toBe(true);
      expect(all.map((event) => event.streamId.slice(prefix.length))).toEqual([
        'a',
        'a',
        'b',
        'b',
        'a',
        'a',
        'c',
        'c',
        'b',
        'b',
      ]);
    });

    it('pages with after (exclusive) and limit', async () => {
      const prefix = `${newStreamId('page')}-`;
      const written = await store().append(`${prefix}x`, newEvents(5));
      const [, second, third, fourth] = written.events;
      const page = await store().readAll({ streamPrefix: prefix, after: second?.position, limit: 2 });
      expect(eventIds(page)).toEqual([third?.eventId, fourth?.eventId]);
      expect(await store().readAll({ streamPrefix: prefix, after: written.position })).toEqual([]);
    });

    it('filters by event type', async () => {
      const prefix = `${newStreamId('types')}-`;
      const wanted = `Wanted_${randomUUID()}`;
      const alsoWanted = `AlsoWanted_${randomUUID()}`;
      const unwanted = `Unwanted_${randomUUID()}`;
      const events = [wanted, unwanted, alsoWanted, unwanted, wanted].map((type) => newEvent({ type }));
      await store().append(`${prefix}x`, events);
      const filtered = await store().readAll({ types: [wanted, alsoWanted] });
      expect(filtered.map((event) => event.type)).toEqual([wanted, alsoWanted, wanted]);
      const combined = await store().readAll({ types: [unwanted], streamPrefix: prefix, limit: 1 });
      expect(combined.map((event) => event.eventId)).toEqual([events[1]?.eventId]);
    });

    it('filters by exact, case-sensitive stream prefix', async () => {
      const base = newStreamId('prefix');
      const inside = [`${base}-customer-1`, `${base}-customer-2`];
      const outside = [`${base}-Customer-3`, `${base}-customers`, `${base}-custome`, `${base}_customer-4`];
      for (const streamId of [...inside, ...outside]) await store().append(streamId, [newEvent()]);
      const filtered = await store().readAll({ streamPrefix: `${base}-customer-` });
      expect(filtered.map((event) => event.streamId)).toEqual(inside);
    });

    it('reports the head position as at least the last position appended', async () => {
      const before = await store().headPosition();
      const result = await store().append(newStreamId(), newEvents(2));
      const after = await store().headPosition();
      expect(after).toBeGreaterThanOrEqual(result.position);
      expect(after).toBeGreaterThan(before);
    });
  });
}
