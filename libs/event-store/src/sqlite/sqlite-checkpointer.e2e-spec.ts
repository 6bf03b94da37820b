import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newEvents, newStreamId } from '../testing/contract/contract-fixtures';
import { BackgroundCheckpointer } from './sqlite-checkpointer';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

describe('SqliteEventStore WAL checkpoints', () => {
  let dir: string;
  const open: SqliteEventStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-checkpoints-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const openStore = async (options: Partial<SqliteEventStoreOptions> = {}): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.open({ file: join(dir, 'events.sqlite'), ...options });
    open.push(store);
    return store;
  };
  const appendSome = async (store: SqliteEventStore, appends: number): Promise<void> => {
    for (let index = 0; index < appends; index++) await store.append(newStreamId(), newEvents(5));
  };
  const until = async (done: () => boolean): Promise<void> => {
    for (let waited = 0; !done() && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('copies committed pages into the database file from its own thread, while the store stays open', async () => {
    const file = join(dir, 'events.sqlite');
    const store = await openStore({ file, checkpointIntervalMs: 10 });
    const sizeBefore = statSync(file).size;
    await appendSome(store, 50);
    await until(() => store.stats().checkpoints.framesCopied > 0);

    expect(store.stats().checkpoints).toMatchObject({ failures: 0 });
    expect(store.stats().checkpoints.checkpoints).toBeGreaterThan(0);
    expect(store.stats().checkpoints.framesCopied).toBeGreaterThan(0);
    // The pages reached the database file itself, not only the WAL.
    expect(statSync(file).size).toBeGreaterThan(sizeBefore);
  });

  it('loses nothing: a second connection reads every appended event, and a reopen too', async () => {
    const file = join(dir, 'events.sqlite');
    const store = await openStore({ file, checkpointIntervalMs: 5 });
    await appendSome(store, 40);
    await until(() => store.stats().checkpoints.framesCopied > 0);
    await appendSome(store, 40);

    const reader = new Database(file, { readonly: true });
    const { count } = reader.prepare('SELECT count(*) AS count FROM events').get() as { count: number };
    reader.close();
    expect(count).toBe(400);
    await store.close();
    const reopened = await openStore({ file });
    expect(await reopened.headPosition()).toBe(400);
  });

  it('leaves checkpoints to SQLite in the commit when asked to (inline), and for :memory:', async () => {
    const inline = await openStore({ checkpoints: 'inline', checkpointIntervalMs: 5 });
    const memory = await openStore({ file: ':memory:', checkpointIntervalMs: 5 });
    await appendSome(inline, 20);
    await appendSome(memory, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(inline.stats().checkpoints).toEqual({ checkpoints: 0, framesCopied: 0, failures: 0 });
    expect(memory.stats().checkpoints).toEqual({ checkpoints: 0, framesCopied: 0, failures: 0 });
  });

  it('reports a checkpoint thread that cannot start, and appends go on (the inline backstop)', async () => {
    const file = join(dir, 'events.sqlite');
    const errors: Error[] = [];
    const store = await openStore({
      file,
      checkpointIntervalMs: 5,
      onCheckpointError: (error) => errors.push(error),
    });
    // The store's connection keeps the unlinked file open; the thread's new connection cannot find it.
    unlinkSync(file);
    await appendSome(store, 10);
    await until(() => errors.length > 0);

    expect(errors[0]?.message).toMatch(/unable to open database file|does not exist/);
    expect(store.stats().checkpoints.failures).toBeGreaterThan(0);
    await appendSome(store, 10);
    expect(await store.headPosition()).toBe(100);
  });

  it.each([
    ['as soon as it exists, while it still loads the SQLite addon', () => new Promise(setImmediate)],
    ['after a checkpoint', () => new Promise((resolve) => setTimeout(resolve, 300))],
  ])('stops its thread by asking it to (exit code 0, never a termination) %s', async (_, meanwhile) => {
    const file = join(dir, 'events.sqlite');
    const store = await openStore({ file, checkpoints: 'inline' });
    await appendSome(store, 1);
    const errors: Error[] = [];
    const checkpointer = new BackgroundCheckpointer(file, 0, (error) => errors.push(error));
    checkpointer.committed();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await meanwhile();
    expect(await checkpointer.stop()).toBe(0);
    expect(errors).toEqual([]);
    expect(await new BackgroundCheckpointer(file, 0, () => undefined).stop()).toBeNull();
  });
});
