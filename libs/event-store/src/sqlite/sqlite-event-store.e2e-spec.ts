import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ExpectedRevision } from '../event-store.port';
import {
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { eventStoreContract } from '../testing';
import { newEvent, newEvents, newStreamId, rejectionOf, take } from '../testing/contract/contract-fixtures';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

const dirs: string[] = [];
const files = new WeakMap<SqliteEventStore, string>();
const newFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'events.sqlite');
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

eventStoreContract('SqliteEventStore', async () => {
  const store = await SqliteEventStore.open({ file: newFile(), pollIntervalMs: 20 });
  return { store, dispose: () => store.close() };
});

describe('SqliteEventStore', () => {
  const open: SqliteEventStore[] = [];
  const openStore = async (options: Partial<SqliteEventStoreOptions> = {}): Promise<SqliteEventStore> => {
    const file = options.file ?? newFile();
    const store = await SqliteEventStore.open({ ...options, file });
    open.push(store);
    files.set(store, file);
    return store;
  };
  afterEach(() => Promise.all(open.splice(0).map((store) => store.close())));

  describe('durability', () => {
    it('starts with an empty log at head position 0', async () => {
      const store = await openStore();
      expect(await store.headPosition()).toBe(0);
      expect(await store.readAll()).toEqual([]);
    });

    it('keeps every event across close and reopen', async () => {
      const first = await openStore();
      const streamId = newStreamId();
      await first.append(streamId, newEvents(3));
      const before = await first.readAll();
      await first.close();
      const reopened = await openStore({ file: fileOf(first) });
      expect(await reopened.readAll()).toEqual(before);
      await expect(reopened.append(streamId, [newEvent()], { expectedRevision: 2 })).resolves.toMatchObject({
        streamRevision: 3,
      });
    });

    it('never hands out a position twice, even after the newest rows are deleted', async () => {
      const first = await openStore();
      const { position } = await first.append(newStreamId(), newEvents(3));
      await first.close();
      withRawDb(fileOf(first), (db) =>
        db.prepare('DELETE FROM events WHERE position >= ?').run(position - 1),
      );
      const reopened = await openStore({ file: fileOf(first) });
      const next = await reopened.append(newStreamId(), [newEvent()]);
      expect(next.position).toBeGreaterThan(position);
    });

    it('flushes pending appends on close, then refuses every call', async () => {
      const store = await openStore();
      const streamId = newStreamId();
      const pending = store.append(streamId, newEvents(2));
      await store.close();
      await expect(pending).resolves.toMatchObject({ streamRevision: 1 });
      for (const call of [
        () => store.append(streamId, [newEvent()]),
        () => store.readStream(streamId),
        () => store.readAll(),
        () => store.headPosition(),
        () => store.streamRevision(streamId),
      ]) {
        expect(await rejectionOf(call())).toBeInstanceOf(EventStoreUnavailableError);
      }
      const reopened = await openStore({ file: fileOf(store) });
      expect(await reopened.streamRevision(streamId)).toBe(1);
    });
  });

  describe('group commit', () => {
    it('writes 500 concurrent appends in far fewer transactions', async () => {
      const store = await openStore();
      const streams = Array.from({ length: 50 }, () => newStreamId());
      await Promise.all(
        Array.from({ length: 500 }, (_, index) => store.append(streams[index % 50] ?? '', [newEvent()])),
      );
      const stats = store.stats();
      expect(stats).toMatchObject({ appendRequests: 500, eventsWritten: 500, failedFlushes: 0 });
      expect(stats.flushes).toBeLessThanOrEqual(5);
      expect(await store.readAll()).toHaveLength(500);
    });

    it('splits a flush at its request bound', async () => {
      const store = await openStore({ maxRequestsPerFlush: 10, maxEventsPerFlush: 1000 });
      await Promise.all(Array.from({ length: 25 }, () => store.append(newStreamId(), [newEvent()])));
      expect(store.stats()).toMatchObject({ flushes: 3, largestFlush: 10 });
    });

    it('splits a flush at its event bound, but never below one request', async () => {
      const store = await openStore({ maxEventsPerFlush: 5 });
      await Promise.all([
        store.append(newStreamId(), newEvents(3)),
        store.append(newStreamId(), newEvents(3)),
        store.append(newStreamId(), newEvents(8)),
      ]);
      expect(store.stats()).toMatchObject({ flushes: 3, eventsWritten: 14 });
    });

    it('rolls back only the failing request of a flush', async () => {
      const store = await openStore();
      const [ok, conflicted] = [newStreamId(), newStreamId()];
      await store.append(conflicted, [newEvent()]);
      const flushesBefore = store.stats().flushes;
      const outcomes = await Promise.allSettled([
        store.append(ok, [newEvent()], { expectedRevision: 'no_stream' }),
        store.append(conflicted, newEvents(2), { expectedRevision: 'no_stream' }),
        store.append(ok, [newEvent()], { expectedRevision: 0 }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[1]).toMatchObject({ reason: expect.any(WrongExpectedRevisionError) as unknown });
      expect(store.stats().flushes - flushesBefore).toBe(1);
      expect(await store.streamRevision(ok)).toBe(1);
      expect(await store.streamRevision(conflicted)).toBe(0);
    });

    it('rejects every request of a flush the database cannot commit', async () => {
      const store = await openStore({ busyTimeoutMs: 20 });
      const file = fileOf(store);
      const blocker = new Database(file);
      blocker.exec('BEGIN IMMEDIATE');
      try {
        const outcomes = await Promise.allSettled([
          store.append(newStreamId(), [newEvent()]),
          store.append(newStreamId(), [newEvent()]),
        ]);
        for (const outcome of outcomes) {
          expect(outcome).toMatchObject({
            status: 'rejected',
            reason: expect.any(EventStoreUnavailableError) as unknown,
          });
        }
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      expect(store.stats().failedFlushes).toBe(1);
      await expect(store.append(newStreamId(), [newEvent()])).resolves.toMatchObject({ streamRevision: 0 });
    });
  });

  describe("streams' heads remembered between appends", () => {
    it('appends after what another connection wrote to the same stream', async () => {
      const mine = await openStore();
      const other = await openStore({ file: fileOf(mine) });
      const streamId = newStreamId();
      await mine.append(streamId, [newEvent()]);
      await other.append(streamId, newEvents(2));

      await expect(mine.append(streamId, [newEvent()])).resolves.toMatchObject({ streamRevision: 3 });
      await expect(mine.append(streamId, [newEvent()], { expectedRevision: 2 })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await other.append(streamId, [newEvent()]);
      await expect(mine.append(streamId, [newEvent()], { expectedRevision: 4 })).resolves.toMatchObject({
        streamRevision: 5,
      });
      await expect(mine.append(streamId, [newEvent()], { expectedRevision: 6 })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect((await mine.readStream(streamId)).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('keeps nothing of a request its flush rolled back, nor of a flush that failed', async () => {
      const store = await openStore({ busyTimeoutMs: 20 });
      const streamId = newStreamId();
      await store.append(streamId, [newEvent()]);
      const outcomes = await Promise.allSettled([
        store.append(streamId, [newEvent()], { expectedRevision: 0 }),
        store.append(streamId, newEvents(3), { expectedRevision: 0 }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
      await expect(store.append(streamId, [newEvent()])).resolves.toMatchObject({ streamRevision: 2 });

      const blocker = new Database(fileOf(store));
      blocker.exec('BEGIN IMMEDIATE');
      try {
        await expect(store.append(streamId, [newEvent()])).rejects.toBeInstanceOf(EventStoreUnavailableError);
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      await expect(store.append(streamId, [newEvent()], { expectedRevision: 2 })).resolves.toMatchObject({
        streamRevision: 3,
      });
    });
  });

  describe('input', () => {
    it.each([
      ['no events', [], 'any'],
      ['a negative expected revision', [newEvent()], -1],
      ['an unknown expected revision', [newEvent()], 'maybe'],
      ['data that is not JSON', [newEvent({ data: { big: 1n } })], 'any'],
    ] as const)('rejects a call with %s before queueing it', async (_, events, expectedRevision) => {
      const store = await openStore();
      const error = await rejectionOf(
        store.append(newStreamId(), events, { expectedRevision: expectedRevision as ExpectedRevision }),
      );
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect(store.stats().flushes).toBe(0);
    });
  });

  describe('follow across processes', () => {
    it('picks up appends made through another connection by polling', async () => {
      const reader = await openStore({ pollIntervalMs: 20 });
      const writer = await openStore({ file: fileOf(reader) });
      const controller = new AbortController();
      const iterator = reader.follow({ signal: controller.signal })[Symbol.asyncIterator]();
      const delivered = take(iterator, 2, 2000);
      const written = await writer.append(newStreamId(), newEvents(2));
      expect((await delivered).map((event) => event.eventId)).toEqual(
        written.events.map((ref) => ref.eventId),
      );
      controller.abort();
    });

    it('picks up an append another connection commits between its read of the log and its wait', async () => {
      const reader = await openStore({ pollIntervalMs: 20 });
      const writer = await openStore({ file: fileOf(reader) });
      const streamId = newStreamId();
      const readAll = reader.readAll.bind(reader);
      let written: Awaited<ReturnType<SqliteEventStore['append']>> | undefined;
      // The first read finds the log empty; the other process commits right after it.
      jest.spyOn(reader, 'readAll').mockImplementationOnce(async (options) => {
        const page = await readAll(options);
        written = await writer.append(streamId, newEvents(1));
        return page;
      });
      const controller = new AbortController();
      const iterator = reader.follow({ signal: controller.signal })[Symbol.asyncIterator]();
      // Nothing else is appended: a follower that missed that commit would wait for the next one forever.
      const [delivered] = await take(iterator, 1, 2000);
      expect(delivered?.eventId).toBe(written?.events[0]?.eventId);
      controller.abort();
    });
  });
});

function fileOf(store: SqliteEventStore): string {
  const file = files.get(store);
  if (!file) throw new Error('unknown store');
  return file;
}

function withRawDb(file: string, use: (db: Database.Database) => unknown): void {
  const db = new Database(file);
  try {
    use(db);
  } finally {
    db.close();
  }
}
