import { WrongExpectedRevisionError } from '../../event-store.errors';
import { newEvent, newEvents, newStreamId, type StoreGetter } from './contract-fixtures';

export function concurrencyContract(store: StoreGetter): void {
  describe('concurrent appends', () => {
    it('lets exactly one of 50 racing appends with the same expected revision win', async () => {
      const streamId = newStreamId();
      await store().append(streamId, [newEvent()]);
      const settled = await Promise.allSettled(
        Array.from({ length: 50 }, () => store().append(streamId, newEvents(2), { expectedRevision: 0 })),
      );
      const winners = settled.filter((outcome) => outcome.status === 'fulfilled');
      const losers = settled.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
      );
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      losers.forEach((reason) => expect(reason).toBeInstanceOf(WrongExpectedRevisionError));
      expect((await store().readStream(streamId)).map((event) => event.revision)).toEqual([0, 1, 2]);
    });

    it("keeps revisions contiguous for 200 racing appends with 'any'", async () => {
      const streamId = newStreamId();
      const results = await Promise.all(
        Array.from({ length: 200 }, () => store().append(streamId, [newEvent()])),
      );
      const stored = await store().readStream(streamId);
      expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: 200 }, (_, index) => index));
      expect(new Set(results.map((result) => result.streamRevision)).size).toBe(200);
    });

    it('accepts racing appends to many different streams', async () => {
      const streams = Array.from({ length: 100 }, () => newStreamId());
      const results = await Promise.all(
        streams.map((streamId) => store().append(streamId, newEvents(3), { expectedRevision: 'no_stream' })),
      );
      expect(results.map((result) => result.streamRevision)).toEqual(streams.map(() => 2));
      const revisions = await Promise.all(streams.map((streamId) => store().streamRevision(streamId)));
      expect(revisions).toEqual(streams.map(() => 2));
    });
  });
}
