import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../event-store.port';
import {
  eventIds,
  isStrictlyIncreasing,
  newEvent,
  newEvents,
  newStreamId,
  take,
  within,
  type StoreGetter,
} from './contract-fixtures';

type Follower = { readonly iterator: AsyncIterator<RecordedEvent>; readonly stop: () => void };

export function followContract(store: StoreGetter): void {
  describe('follow', () => {
    const followers: Follower[] = [];
    const follow = (
      options: Parameters<ReturnType<StoreGetter>['follow']>[0],
    ): AsyncIterator<RecordedEvent> => {
      const controller = new AbortController();
      const iterator = store()
        .follow({ ...options, signal: controller.signal })
        [Symbol.asyncIterator]();
      followers.push({ iterator, stop: () => controller.abort() });
      return iterator;
    };
    afterEach(() => followers.splice(0).forEach((follower) => follower.stop()));

    it('catches up on past events, then delivers live appends in order', async () => {
      const prefix = `${newStreamId('follow')}-`;
      const start = await store().headPosition();
      const past = await store().append(`${prefix}a`, newEvents(3));
      const iterator = follow({ after: start, streamPrefix: prefix, batchSize: 2 });

      expect(eventIds(await take(iterator, 3))).toEqual(past.events.map((ref) => ref.eventId));
      const live = take(iterator, 3);
      const first = await store().append(`${prefix}b`, newEvents(2));
      const second = await store().append(`${prefix}a`, newEvents(1));
      expect(eventIds(await live)).toEqual([...first.events, ...second.events].map((ref) => ref.eventId));
    });

    it('ends when its signal aborts while it waits for new events', async () => {
      const controller = new AbortController();
      const start = await store().headPosition();
      const iterator = store()
        .follow({ after: start, streamPrefix: `${newStreamId('idle')}-`, signal: controller.signal })
        [Symbol.asyncIterator]();
      const next = iterator.next();
      setTimeout(() => controller.abort(), 50);
      await expect(within(next, 2000, 'the follower to end')).resolves.toEqual({
        done: true,
        value: undefined,
      });
    });

    it('yields nothing when its signal is already aborted', async () => {
      const streamId = newStreamId();
      await store().append(streamId, newEvents(2));
      const iterator = store()
        .follow({ streamPrefix: streamId, signal: AbortSignal.abort() })
        [Symbol.asyncIterator]();
      await expect(within(iterator.next(), 2000, 'the follower to end')).resolves.toMatchObject({
        done: true,
      });
    });

    it('delivers only the requested types, live too', async () => {
      const prefix = `${newStreamId('follow-types')}-`;
      const wanted = `Wanted_${randomUUID()}`;
      const start = await store().headPosition();
      const iterator = follow({ after: start, streamPrefix: prefix, types: [wanted] });
      const live = take(iterator, 2);
      const result = await store().append(`${prefix}a`, [
        newEvent({ type: wanted }),
        newEvent({ type: 'Unwanted' }),
        newEvent({ type: wanted }),
      ]);
      const delivered = await live;
      expect(eventIds(delivered)).toEqual([result.events[0]?.eventId, result.events[2]?.eventId]);
    });

    it('neither skips nor repeats an event while many appends land concurrently', async () => {
      const prefix = `${newStreamId('follow-busy')}-`;
      const start = await store().headPosition();
      const iterator = follow({ after: start, streamPrefix: prefix, batchSize: 7 });
      const delivered = take(iterator, 200, 10_000);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) => store().append(`${prefix}${index % 10}`, newEvents(2))),
      );
      const received = await delivered;
      const written = results.flatMap((result) => result.events.map((ref) => ref.eventId));
      expect(new Set(eventIds(received))).toEqual(new Set(written));
      expect(isStrictlyIncreasing(received.map((event) => event.position))).toBe(true);
    });
  });
}
