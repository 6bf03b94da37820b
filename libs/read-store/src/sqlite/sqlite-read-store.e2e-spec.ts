import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReadStoreUnavailableError } from '../read-store.errors';
import type { CollectionSpec, FindOptions, Scalar, Sort, SortDirection } from '../read-store.port';
import { checkCollectionSpec } from '../core/collection-spec.validation';
import { encodeCursor } from '../core/page-cursor.codec';
import { planFind } from '../core/find-options.normalization';
import { readStoreContract } from '../testing';
import { declared, doc, newProjection, put, rejectionOf } from '../testing/contract/contract-fixtures';
import { compileFind } from './sqlite-find.compiler';
import { collectionDdl, tableOf } from './sqlite-read-store.schema';
import { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite-read-store';

const dirs: string[] = [];
const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'read-store-'));
  dirs.push(dir);
  return dir;
};
/** In a directory that does not exist yet: open creates it. */
const newFile = (): string => join(newDir(), 'nested', 'read-models.sqlite');
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

readStoreContract('SqliteReadStore on a file', async () => {
  const store = await SqliteReadStore.open({ file: newFile() });
  return { store, dispose: () => store.close() };
});

readStoreContract('SqliteReadStore in memory', async () => {
  const store = await SqliteReadStore.open({ file: ':memory:' });
  return { store, dispose: () => store.close() };
});

describe('SqliteReadStore', () => {
  const open: SqliteReadStore[] = [];
  const openStore = async (options: SqliteReadStoreOptions): Promise<SqliteReadStore> => {
    const store = await SqliteReadStore.open(options);
    open.push(store);
    return store;
  };
  afterEach(() => Promise.all(open.splice(0).map((store) => store.close())));

  describe('durability', () => {
    it('keeps documents, checkpoints and collections across close and reopen', async () => {
      const file = newFile();
      const first = await openStore({ file });
      const collection = await declared(first, ['stage']);
      const projection = newProjection();
      await first.commit({
        projection,
        position: 42,
        writes: [put(collection, doc('ada', 41, { stage: 'conversion' }))],
      });
      await first.close();
      const reopened = await openStore({ file });
      expect(await reopened.get(collection, 'ada')).toEqual(doc('ada', 41, { stage: 'conversion' }));
      expect(await reopened.find(collection, { filter: { stage: 'conversion' } })).toMatchObject({
        items: [{ id: 'ada' }],
      });
      expect(await reopened.checkpoint(projection)).toBe(42);
    });

    it('keeps its file in WAL mode, so readers do not block a committing projection', async () => {
      const file = newFile();
      await openStore({ file, synchronous: 'normal' });
      expect(withRawDb(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    });

    it('rolls back the whole unit when the database fails half way through it', async () => {
      const file = newFile();
      const store = await openStore({ file });
      const [first, second] = [await declared(store), await declared(store)];
      const projection = newProjection();
      await store.commit({ projection, position: 1, writes: [put(first, doc('a', 1, { v: 'kept' }))] });
      withRawDb(file, (db) =>
        db.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON ${tableOf(second)}
                 WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`),
      );
      const unit = {
        projection,
        position: 3,
        writes: [
          put(first, doc('a', 2, { v: 'lost' })),
          put(first, doc('b', 2)),
          put(second, doc('boom', 3)),
        ],
      };
      const error = await rejectionOf(store.commit(unit));
      expect(error).toBeInstanceOf(ReadStoreUnavailableError);
      expect(error).toMatchObject({ code: 'READ_STORE.UNAVAILABLE' });
      expect(await store.getMany(first, ['a', 'b'])).toEqual([doc('a', 1, { v: 'kept' })]);
      expect(await store.checkpoint(projection)).toBe(1);
    });
  });

  describe('indexes declared again', () => {
    it('replaces the index of a field declared carrying other fields, leaving the other indexes', async () => {
      const file = newFile();
      const store = await openStore({ file });
      const indexNames = (): string[] =>
        withRawDb(file, (db) =>
          db
            .prepare<[], { name: string }>(
              "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rm_customers' AND name LIKE 'ix:%' ORDER BY name",
            )
            .all()
            .map((row) => row.name),
        );
      const declare = (indexes: CollectionSpec['indexes']) =>
        store.ensureCollections([{ name: 'customers', indexes }]);

      await declare(['valueClass', 'netRevenue']);
      expect(indexNames()).toEqual(['ix:rm_customers:net^Revenue', 'ix:rm_customers:value^Class']);
      await declare([{ field: 'valueClass', carries: ['netRevenue'] }, 'netRevenue']);
      expect(indexNames()).toEqual([
        'ix:rm_customers:net^Revenue',
        'ix:rm_customers:value^Class+net^Revenue',
      ]);
      await declare([{ field: 'valueClass', carries: ['netRevenue', 'orders'] }]);
      expect(indexNames()).toEqual([
        'ix:rm_customers:net^Revenue',
        'ix:rm_customers:value^Class+net^Revenue+orders',
      ]);
      await declare(['valueClass']);
      expect(indexNames()).toEqual(['ix:rm_customers:net^Revenue', 'ix:rm_customers:value^Class']);
    });
  });

  describe('several connections', () => {
    it('sees collections and commits of another connection to the same file', async () => {
      const file = newFile();
      const [writer, reader] = [await openStore({ file }), await openStore({ file })];
      expect(await reader.checkpoint('journey')).toBe(0);
      const collection = await declared(writer);
      await writer.commit({ projection: 'journey', position: 2, writes: [put(collection, doc('a', 2))] });
      expect(await reader.get(collection, 'a')).toEqual(doc('a', 2));
      expect(await reader.checkpoint('journey')).toBe(2);
    });
  });

  describe('lifecycle', () => {
    it('refuses every call after close, and closes only once', async () => {
      const store = await openStore({ file: ':memory:' });
      const collection = await declared(store);
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      const calls = [
        () => store.ensureCollections([{ name: collection, indexes: [] }]),
        () => store.get(collection, 'a'),
        () => store.getMany(collection, ['a']),
        () => store.find(collection),
        () => store.count(collection),
        () => store.commit({ projection: 'p', position: 1, writes: [] }),
        () => store.checkpoint('p'),
        () => store.resetProjection('p', [collection]),
      ];
      for (const call of calls) expect(await rejectionOf(call())).toBeInstanceOf(ReadStoreUnavailableError);
    });

    it('reports a file it cannot create as unavailable', async () => {
      const blocker = join(newDir(), 'blocker');
      writeFileSync(blocker, 'a file where a directory should be');
      const error = await rejectionOf(SqliteReadStore.open({ file: join(blocker, 'read-models.sqlite') }));
      expect(error).toBeInstanceOf(ReadStoreUnavailableError);
    });
  });

  describe('query plans', () => {
    type Op = { opcode: string; p1: number; p2: number; p3: number };
    const compiled = <T>(options: FindOptions, prefix: string): T[] => {
      const db = new Database(':memory:');
      try {
        const spec = checkCollectionSpec({
          name: 'customers',
          indexes: ['score', 'tier', 'position', { field: 'tier2', carries: ['score'] }],
        });
        collectionDdl(spec).forEach((ddl) => db.exec(ddl));
        const query = compileFind(tableOf(spec.name), planFind(options));
        return db.prepare<unknown[], T>(`${prefix} ${query.sql}`).all(...query.params);
      } finally {
        db.close();
      }
    };
    const explain = (options: FindOptions): string =>
      compiled<{ detail: string }>(options, 'EXPLAIN QUERY PLAN')
        .map((row) => row.detail)
        .join('\n');
    const byScore = (direction: SortDirection) => [{ field: 'score', direction }] as const;
    const after = (sort: Sort, values: Scalar[]) =>
      encodeCursor([...sort, { field: 'id', direction: sort[0]?.direction ?? 'asc' }], values);

    it.each<[string, FindOptions]>([
      ['ascending', { sort: byScore('asc') }],
      ['descending', { sort: byScore('desc') }],
      ['filtered on the sort field', { filter: { score: { $gte: 3 } }, sort: byScore('desc') }],
      ['filtered by equality and sorted by id', { filter: { tier: 'gold' } }],
    ])('reads a first page %s in index order, without sorting', (_, options) => {
      const plan = explain(options);
      expect(plan).toMatch(/USING (COVERING )?INDEX/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });

    it.each<[string, FindOptions]>([
      ['a first page', { filter: { tier2: 'gold', score: { $gte: 3 } } }],
      ['a later page', { filter: { tier2: 'gold', score: { $lt: 3 } }, cursor: after([], ['x']) }],
    ])('reads %s of a class in id order, kept to a carried range, from the carrying index', (_, options) => {
      const plan = explain(options);
      expect(plan).toMatch(/SEARCH rm_customers USING INDEX ix:rm_customers:tier2\+score \(<expr>=\?/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
      // The filter reads the index's columns; the row (column 2 is doc) is sought once it passed, read once.
      const program = compiled<Op>(options, 'EXPLAIN');
      const seek = program.find((op) => op.opcode === 'DeferredSeek');
      expect(seek).toBeDefined();
      const docReads = program.filter((op) => op.opcode === 'Column' && op.p1 === seek?.p3 && op.p2 === 2);
      expect(docReads).toHaveLength(1);
    });

    it.each<[string, FindOptions]>([
      ['ascending', { sort: byScore('asc'), cursor: after(byScore('asc'), [5, 'x']) }],
      ['by id', { cursor: after([], ['x']) }],
      [
        'by position descending',
        {
          sort: [{ field: 'position', direction: 'desc' }],
          cursor: after([{ field: 'position', direction: 'desc' }], [9, 'x']),
        },
      ],
    ])('starts a later page %s at the cursor in the index', (_, options) => {
      const plan = explain(options);
      expect(plan).toMatch(/SEARCH .*USING (COVERING )?INDEX/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });
  });
});

function withRawDb<T>(file: string, use: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return use(db);
  } finally {
    db.close();
  }
}
