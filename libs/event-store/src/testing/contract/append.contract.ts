import { EventIdConflictError, WrongExpectedRevisionError } from '../../event-store.errors';
import {
  eventIds,
  newEvent,
  newEvents,
  newStreamId,
  rejectionOf,
  type StoreGetter,
} from './contract-fixtures';

export function appendContract(store: StoreGetter): void {
  describe('append', () => {
    it('starts a new stream at revision 0 with no_stream', async () => {
      const streamId = newStreamId();
      const result = await store().append(streamId, [newEvent()], { expectedRevision: 'no_stream' });
      expect(result).toMatchObject({ streamId, streamRevision: 0, duplicate: false });
      expect(result.events).toEqual([expect.objectContaining({ revision: 0, duplicate: false })]);
      expect(await store().streamRevision(streamId)).toBe(0);
    });

    it("starts a new stream with 'any', which is also the default", async () => {
      const [first, second] = [newStreamId(), newStreamId()];
      await expect(store().append(first, [newEvent()], { expectedRevision: 'any' })).resolves.toMatchObject({
        streamRevision: 0,
      });
      await expect(store().append(second, [newEvent()])).resolves.toMatchObject({ streamRevision: 0 });
    });

    it('numbers revisions from 0 without gaps across appends', async () => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(3));
      const second = await store().append(streamId, newEvents(2));
      expect(second.streamRevision).toBe(4);
      expect(second.events.map((ref) => ref.revision)).toEqual([3, 4]);
      const stored = await store().readStream(streamId);
      expect(stored.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
    });

    it('reports each event position and the last one as the result position', async () => {
      const result = await store().append(newStreamId(), newEvents(3));
      const positions = result.events.map((ref) => ref.position);
      expect(positions[1]).toBeGreaterThan(positions[0] ?? Infinity);
      expect(positions[2]).toBeGreaterThan(positions[1] ?? Infinity);
      expect(result.position).toBe(positions[2]);
    });

    it('stores every field as given and stamps recordedAt', async () => {
      const streamId = newStreamId();
      const event = newEvent({ type: 'ContractFieldsKept', version: 3, data: { unicode: 'Zoë 🚀', n: 1.5 } });
      const result = await store().append(streamId, [event]);
      const [stored] = await store().readStream(streamId);
      expect(stored).toEqual({
        ...event,
        streamId,
        revision: 0,
        position: result.position,
        recordedAt: expect.any(String) as unknown,
      });
      expect(Number.isNaN(Date.parse(stored?.recordedAt ?? ''))).toBe(false);
    });

    it("accepts 'exists' and the matching numeric revision on an existing stream", async () => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(2));
      await expect(
        store().append(streamId, [newEvent()], { expectedRevision: 'exists' }),
      ).resolves.toMatchObject({
        streamRevision: 2,
      });
      await expect(store().append(streamId, [newEvent()], { expectedRevision: 2 })).resolves.toMatchObject({
        streamRevision: 3,
      });
    });

    it("rejects 'no_stream' on an existing stream with the actual revision", async () => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(2));
      const error = await rejectionOf(
        store().append(streamId, [newEvent()], { expectedRevision: 'no_stream' }),
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({
        code: 'EVENT_STORE.WRONG_EXPECTED_REVISION',
        streamId,
        expected: 'no_stream',
        actual: 1,
      });
    });

    it("rejects 'exists' on a missing stream with actual null", async () => {
      const streamId = newStreamId();
      const error = await rejectionOf(store().append(streamId, [newEvent()], { expectedRevision: 'exists' }));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected: 'exists', actual: null });
    });

    it.each([
      ['behind', 0],
      ['ahead', 5],
    ])('rejects a numeric expected revision that is %s', async (_, expected) => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(2));
      const error = await rejectionOf(store().append(streamId, [newEvent()], { expectedRevision: expected }));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected, actual: 1 });
    });

    it('rejects a numeric expected revision on a missing stream', async () => {
      const error = await rejectionOf(store().append(newStreamId(), [newEvent()], { expectedRevision: 0 }));
      expect(error).toMatchObject({ expected: 0, actual: null });
    });

    it('writes nothing of a call it rejects for its revision', async () => {
      const streamId = newStreamId();
      const first = await store().append(streamId, [newEvent()]);
      const head = await store().headPosition();
      const rejected = newEvents(3);
      await rejectionOf(store().append(streamId, rejected, { expectedRevision: 'no_stream' }));
      expect(eventIds(await store().readStream(streamId))).toEqual([first.events[0]?.eventId]);
      const later = await store().readAll({ after: head, streamPrefix: streamId });
      expect(later).toEqual([]);
    });

    it('writes nothing of a call whose eventId belongs to another stream', async () => {
      const [owner, other] = [newStreamId(), newStreamId()];
      const taken = newEvent();
      await store().append(owner, [taken]);
      const error = await rejectionOf(store().append(other, [newEvent(), taken, newEvent()]));
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({
        code: 'EVENT_STORE.EVENT_ID_CONFLICT',
        eventId: taken.eventId,
        streamId: other,
        existingStreamId: owner,
      });
      expect(await store().readStream(other)).toEqual([]);
      expect(await store().streamRevision(other)).toBeNull();
    });
  });
}
