import { randomUUID } from 'node:crypto';
import { EventIdConflictError, EventStoreUnavailableError } from '../event-store.errors';
import { eventStoreContract } from '../testing';
import { newEvent, newEvents, newStreamId, rejectionOf } from '../testing/contract/contract-fixtures';
import { CLAIM_STREAM_PREFIX } from './kurrent-event-id-claims';
import { KurrentEventStore } from './kurrent-event-store';

/**
 * The contract suite needs a KurrentDB server at EVENTSTORE_URL, e.g.
 * `docker compose up kurrentdb` and
 * `EVENTSTORE_URL=kurrentdb://127.0.0.1:2113?tls=false npx jest libs/event-store --selectProjects int`.
 * Every test uses fresh UUID stream names, so a shared server is fine.
 * Without a server the suite is reported as a todo, not as passed; with
 * REQUIRE_EVENTSTORE=1 a missing EVENTSTORE_URL fails the run.
 */
const url = process.env.EVENTSTORE_URL;
const open = (connectionString: string): Promise<KurrentEventStore> =>
  KurrentEventStore.open({ connectionString });

if (url) {
  // A server round trip per call; jest ignores the int project's testTimeout (see jest's validation warning).
  jest.setTimeout(60_000);
  eventStoreContract('KurrentEventStore', async () => {
    const store = await open(url);
    return { store, dispose: () => store.close() };
  });

  describe('KurrentEventStore on a real server', () => {
    let store: KurrentEventStore;
    beforeEach(async () => {
      store = await open(url);
    });
    afterEach(() => store.close());

    it('detects an eventId conflict between two store instances (separate connections)', async () => {
      const other = await open(url);
      try {
        const taken = newEvent();
        await store.append(newStreamId(), [taken]);
        const error = await rejectionOf(other.append(newStreamId(), [taken]));
        expect(error).toBeInstanceOf(EventIdConflictError);
      } finally {
        await other.close();
      }
    });

    it('keeps its eventId claim markers out of readAll and headPosition', async () => {
      const before = await store.headPosition();
      const result = await store.append(newStreamId(), newEvents(2));
      const after = await store.readAll({ after: before });
      expect(after.some((event) => event.streamId.startsWith(CLAIM_STREAM_PREFIX))).toBe(false);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
    });

    it('refuses to append after close', async () => {
      await store.close();
      await expect(store.append(newStreamId(), [newEvent()])).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });
  });
} else if (process.env.REQUIRE_EVENTSTORE === '1') {
  it('runs the KurrentDB contract suite (REQUIRE_EVENTSTORE=1)', () => {
    throw new Error('REQUIRE_EVENTSTORE=1 but EVENTSTORE_URL is unset: no KurrentDB server to test against');
  });
} else {
  console.warn('KurrentDB contract suite NOT run: EVENTSTORE_URL is unset (see docs/event-store.md)');
  it.todo('KurrentDB contract suite: set EVENTSTORE_URL to run it');
}

/** Needs no server: the real client against a closed port. */
describe('KurrentEventStore without a reachable server', () => {
  let store: KurrentEventStore;
  beforeAll(async () => {
    store = await open('kurrentdb://127.0.0.1:1?tls=false');
  });
  afterAll(() => store.close());

  it.each([
    ['append', () => store.append(`unreachable-${randomUUID()}`, [newEvent()])],
    ['readStream', () => store.readStream('unreachable')],
    ['streamRevision', () => store.streamRevision('unreachable')],
    ['readAll', () => store.readAll({ limit: 1 })],
    ['headPosition', () => store.headPosition()],
  ])('reports %s as EventStoreUnavailableError', async (_, call: () => Promise<unknown>) => {
    await expect(call()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('ends follow with EventStoreUnavailableError', async () => {
    const iterator = store.follow()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
