import { EventIdConflictError } from '../../event-store.errors';
import {
  eventIds,
  newEvent,
  newEvents,
  newStreamId,
  rejectionOf,
  type StoreGetter,
} from './contract-fixtures';

export function idempotencyContract(store: StoreGetter): void {
  describe('idempotent append', () => {
    it('returns the original result for a repeated call and writes nothing', async () => {
      const streamId = newStreamId();
      const events = newEvents(2);
      const original = await store().append(streamId, events, { expectedRevision: 'no_stream' });
      const repeat = await store().append(streamId, events, { expectedRevision: 'no_stream' });
      expect(repeat).toEqual({
        ...original,
        duplicate: true,
        events: original.events.map((ref) => ({ ...ref, duplicate: true })),
      });
      expect(eventIds(await store().readStream(streamId))).toEqual(events.map((event) => event.eventId));
    });

    it('treats a retry as a duplicate even when its expected revision is stale', async () => {
      const streamId = newStreamId();
      const retried = newEvent();
      await store().append(streamId, [retried], { expectedRevision: 'no_stream' });
      await store().append(streamId, newEvents(2), { expectedRevision: 0 });
      const repeat = await store().append(streamId, [retried], { expectedRevision: 'no_stream' });
      expect(repeat).toMatchObject({ duplicate: true, streamRevision: 0 });
      expect(repeat.events).toEqual([
        expect.objectContaining({ eventId: retried.eventId, revision: 0, duplicate: true }),
      ]);
      expect(await store().streamRevision(streamId)).toBe(2);
    });

    it('writes only the new events of a partly repeated call and reports the old ones', async () => {
      const streamId = newStreamId();
      const [old, fresh] = [newEvent(), newEvent()];
      const first = await store().append(streamId, [old]);
      const second = await store().append(streamId, [old, fresh], { expectedRevision: 0 });
      expect(second.duplicate).toBe(false);
      expect(second.streamRevision).toBe(1);
      expect(second.events).toEqual([
        { eventId: old.eventId, revision: 0, position: first.position, duplicate: true },
        expect.objectContaining({ eventId: fresh.eventId, revision: 1, duplicate: false }),
      ]);
      expect(eventIds(await store().readStream(streamId))).toEqual([old.eventId, fresh.eventId]);
    });

    it('still checks the expected revision when only some events are repeats', async () => {
      const streamId = newStreamId();
      const old = newEvent();
      await store().append(streamId, [old, newEvent()]);
      await rejectionOf(store().append(streamId, [old, newEvent()], { expectedRevision: 0 }));
      expect(await store().streamRevision(streamId)).toBe(1);
    });

    it('stores an eventId repeated inside one call once, the repeat pointing at the first', async () => {
      const streamId = newStreamId();
      const [twice, other] = [newEvent(), newEvent()];
      const result = await store().append(streamId, [twice, other, twice]);
      expect(result.events.map((ref) => [ref.revision, ref.duplicate])).toEqual([
        [0, false],
        [1, false],
        [0, true],
      ]);
      expect(result.events[2]?.position).toBe(result.events[0]?.position);
      expect(result.streamRevision).toBe(1);
      expect(await store().readStream(streamId)).toHaveLength(2);
    });

    it('rejects an eventId already used by another stream, even alone', async () => {
      const [owner, other] = [newStreamId(), newStreamId()];
      const taken = newEvent();
      await store().append(owner, [taken]);
      const error = await rejectionOf(store().append(other, [taken]));
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(await store().readStream(owner)).toHaveLength(1);
    });
  });
}
