import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  CollectionSpec,
  CounterPairSum,
  CounterRange,
  CounterSet,
  Filter,
  FindOptions,
  Page,
  ReadOptions,
  ReadStore,
  Scalar,
  StoredDocument,
  UnitOfWork,
} from '../read-store.port';
import {
  InvalidQueryError,
  ReadStoreError,
  ReadStoreUnavailableError,
  UnknownCollectionError,
} from '../read-store.errors';
import { checkCounterSums } from '../core/counter-sums.validation';
import { isScalar, normalizeFilter } from '../core/filter.normalization';
import { planFind } from '../core/find-options.normalization';
import { checkCollectionSpec } from '../core/collection-spec.validation';
import { assertName } from '../core/names.validation';
import { encodeCursor } from '../core/page-cursor.codec';
import { readFields } from '../core/read-fields.validation';
import { checkUnit, type CheckedUnit } from '../core/unit-of-work.validation';
import { docColumn } from './sqlite-field.sql';
import { compileCount, compileFind } from './sqlite-find.compiler';
import {
  applyPragmas,
  collectionDdl,
  counterTableOf,
  createCheckpointsTable,
  replacedIndexDdl,
  tableExists,
  tableOf,
  type SqliteSynchronous,
} from './sqlite-read-store.schema';
import { SqliteStatementCache } from './sqlite-statement-cache';
import { createUnitCommitter } from './sqlite-unit-commit';
import type { ThreadWriteLock } from './thread-write-lock';

export type SqliteReadStoreOptions = {
  /** Database file, e.g. `data/read-models.sqlite`; its directory is created. `:memory:` works for throwaway stores. */
  readonly file: string;
  /** How long a write waits for another process's write lock. Default 5000. */
  readonly busyTimeoutMs?: number;
  /**
   * `full` (default) fsyncs every commit. `normal` may lose the last commits
   * on power loss but never tears one: writes and checkpoint stay together,
   * so the projection simply replays them. Read models can be rebuilt from
   * the log, so `normal` is a fair trade for write throughput.
   */
  readonly synchronous?: SqliteSynchronous;
  /**
   * Shared by connections of this process's threads that write the same
   * file at once (a parallel rebuild): commits take turns on it instead of
   * polling SQLite's lock.
   */
  readonly writeLock?: ThreadWriteLock;
};

type DocRow = { readonly doc: string };
type CounterRow = { readonly set_id: string; readonly counter: string; readonly value: number };
type FindRow = DocRow & Readonly<Record<string, unknown>>;

/**
 * The embedded adapter: one SQLite file in WAL mode, a table per collection,
 * each unit of work in one transaction. better-sqlite3 is synchronous; the
 * async methods only give it the port's shape.
 */
export class SqliteReadStore implements ReadStore {
  private readonly statements: SqliteStatementCache;
  private readonly commitUnit: (unit: CheckedUnit) => void;
  /** Collections seen to exist; a miss asks the schema, since another process may have created it. */
  private readonly collections = new Set<string>();
  private readonly counterCollections = new Set<string>();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    writeLock: ThreadWriteLock | undefined,
  ) {
    this.statements = new SqliteStatementCache(db);
    this.commitUnit = createUnitCommitter(
      db,
      this.statements,
      writeLock && ((write) => writeLock.hold(write)),
    );
  }

  static open(options: SqliteReadStoreOptions): Promise<SqliteReadStore> {
    let db: Database.Database | undefined;
    try {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      db = new Database(options.file);
      applyPragmas(db, options.busyTimeoutMs ?? 5000, options.synchronous ?? 'full');
      createCheckpointsTable(db);
      return Promise.resolve(new SqliteReadStore(db, options.writeLock));
    } catch (cause) {
      db?.close();
      return Promise.reject(
        new ReadStoreUnavailableError(`Cannot open read store ${options.file}`, { cause }),
      );
    }
  }

  ensureCollections(specs: readonly CollectionSpec[]): Promise<void> {
    return this.run(() => {
      const checked = specs.map(checkCollectionSpec);
      this.db
        .transaction(() =>
          checked
            .flatMap((spec) => [...collectionDdl(spec), ...replacedIndexDdl(this.db, spec)])
            .forEach((ddl) => this.db.exec(ddl)),
        )
        .immediate();
      checked.forEach((spec) =>
        (spec.kind === 'counters' ? this.counterCollections : this.collections).add(spec.name),
      );
    });
  }

  get<T extends StoredDocument = StoredDocument>(collection: string, id: string): Promise<T | null> {
    return this.run(() => {
      const table = this.table(collection);
      if (typeof id !== 'string') throw new InvalidQueryError('the id is not a string');
      const row = this.statements.get<DocRow>(`SELECT doc FROM ${table} WHERE id = ?`).get(id);
      return row ? parseDoc<T>(row) : null;
    });
  }

  getMany<T extends StoredDocument = StoredDocument>(
    collection: string,
    ids: readonly string[],
    options: ReadOptions = {},
  ): Promise<T[]> {
    return this.run(() => {
      const table = this.table(collection);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new InvalidQueryError('the ids are not a list of strings');
      }
      const doc = docColumn(readFields(options.fields));
      const sql = `SELECT ${doc} FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`;
      const found = new Map(
        this.statements
          .get<DocRow>(sql)
          .all(JSON.stringify(ids))
          .map((row) => parseDoc<T>(row))
          .map((doc) => [doc.id, doc]),
      );
      return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
    });
  }

  find<T extends StoredDocument = StoredDocument>(
    collection: string,
    options?: FindOptions,
  ): Promise<Page<T>> {
    return this.run(() => {
      const table = this.table(collection);
      const plan = planFind(options);
      const query = compileFind(table, plan);
      const rows = this.statements.get<FindRow>(query.sql).all(...query.params);
      const last = rows.length > plan.limit ? rows[plan.limit - 1] : undefined;
      return {
        items: rows.slice(0, plan.limit).map((row) => parseDoc<T>(row)),
        nextCursor: last ? encodeCursor(plan.keys, sortValues(last, plan.keys.length)) : null,
      };
    });
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.run(() => {
      const query = compileCount(this.table(collection), normalizeFilter(filter));
      return this.statements.get<{ count: number }>(query.sql).get(...query.params)?.count ?? 0;
    });
  }

  getCounters(collection: string, ids: readonly string[]): Promise<CounterSet[]> {
    return this.run(() => {
      const table = this.counterTable(collection);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new InvalidQueryError('the ids are not a list of strings');
      }
      const sql = `SELECT set_id, counter, value FROM ${table} WHERE set_id IN (SELECT value FROM json_each(?)) AND value <> 0`;
      const found = new Map(
        groupCounters(this.statements.get<CounterRow>(sql).all(JSON.stringify(ids))).map((set) => [
          set.id,
          set,
        ]),
      );
      return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
    });
  }

  rangeCounters(collection: string, range: CounterRange): Promise<CounterSet[]> {
    return this.run(() => {
      const table = this.counterTable(collection);
      if (typeof range?.from !== 'string' || typeof range.to !== 'string') {
        throw new InvalidQueryError('the range bounds are not strings');
      }
      const sql = `SELECT set_id, counter, value FROM ${table} WHERE set_id >= ? AND set_id < ? AND value <> 0 ORDER BY set_id`;
      return groupCounters(this.statements.get<CounterRow>(sql).all(range.from, range.to));
    });
  }

  sumCounters(collection: string, sums: readonly CounterPairSum[]): Promise<number[]> {
    return this.run(() => {
      const table = this.counterTable(collection);
      const checked = checkCounterSums(sums);
      if (checked.length === 0) return [];
      // One statement: the sums come from one snapshot, and no counter is carried out of SQLite.
      const sql = `WITH q(i, s, a, b) AS MATERIALIZED (SELECT key, value->>0, value->>1, value->>2 FROM json_each(?))
        SELECT q.i AS i, sum(c.value) AS total FROM q JOIN ${table} c ON c.set_id = q.s
        WHERE (q.a IS NULL OR CAST(c.counter AS INTEGER) < q.a)
          AND (q.b IS NULL OR CAST(substr(c.counter, instr(c.counter, ':') + 1) AS INTEGER) < q.b)
        GROUP BY q.i`;
      const totals = new Array<number>(checked.length).fill(0);
      const rows = this.statements
        .get<{ i: number; total: number | null }>(sql)
        .all(JSON.stringify(checked.map((sum) => [sum.set, sum.belowFirst, sum.belowSecond])));
      for (const row of rows) totals[row.i] = row.total ?? 0;
      return totals;
    });
  }

  commit(unit: UnitOfWork): Promise<void> {
    return this.run(() => {
      const checked = checkUnit(unit);
      checked.writes.forEach((write) => this.table(write.collection));
      checked.increments.forEach((increment) => this.counterTable(increment.collection));
      this.commitUnit(checked);
    });
  }

  checkpoint(projection: string): Promise<number> {
    return this.run(() => {
      const sql = 'SELECT position FROM read_store_checkpoints WHERE projection = ?';
      const row = this.statements.get<{ position: number }>(sql).get(assertName('projection', projection));
      return row?.position ?? 0;
    });
  }

  resetProjection(projection: string, collections: readonly string[]): Promise<void> {
    return this.run(() => {
      assertName('projection', projection);
      const tables = collections.map((collection) =>
        this.isCounterCollection(collection) ? this.counterTable(collection) : this.table(collection),
      );
      this.db
        .transaction(() => {
          tables.forEach((table) => this.db.exec(`DELETE FROM ${table}`));
          this.statements.get('DELETE FROM read_store_checkpoints WHERE projection = ?').run(projection);
        })
        .immediate();
    });
  }

  /**
   * secure_delete (always on) zeroes replaced and deleted rows in their
   * pages, but earlier versions of those pages stay in the -wal file until a
   * checkpoint; TRUNCATE copies the latest pages in and empties the WAL.
   */
  purgeDeleted(): Promise<void> {
    return this.run(() => {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) {
        throw new ReadStoreUnavailableError(
          'The WAL could not be truncated (a reader holds an old snapshot); retry',
        );
      }
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }

  /** The quoted table of a known collection. */
  private table(collection: string): string {
    const name = assertName('collection', collection);
    if (!this.collections.has(name)) {
      if (!tableExists(this.db, name)) throw new UnknownCollectionError(name);
      this.collections.add(name);
    }
    return tableOf(name);
  }

  /** The quoted table of a known counters collection. */
  private counterTable(collection: string): string {
    const name = assertName('collection', collection);
    if (!this.isCounterCollection(name)) throw new UnknownCollectionError(name);
    return counterTableOf(name);
  }

  private isCounterCollection(collection: string): boolean {
    if (this.counterCollections.has(collection)) return true;
    if (!tableExists(this.db, collection, 'counters')) return false;
    this.counterCollections.add(collection);
    return true;
  }

  /** Gives synchronous work the port's async shape; engine failures become ReadStoreUnavailableError. */
  private run<T>(work: () => T): Promise<T> {
    try {
      if (this.closed) throw new ReadStoreUnavailableError('The read store is closed');
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(
        error instanceof ReadStoreError
          ? error
          : new ReadStoreUnavailableError('The read store failed', { cause: error }),
      );
    }
  }
}

/** Rows ordered by set (or in no order: the sets come out in first-seen order). */
function groupCounters(rows: readonly CounterRow[]): CounterSet[] {
  const sets = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const counters = sets.get(row.set_id) ?? new Map<string, number>();
    sets.set(row.set_id, counters);
    counters.set(row.counter, row.value);
  }
  return [...sets].map(([id, counters]) => ({ id, counters }));
}

/** The port leaves `T` to the caller: documents are stored as given and not re-validated on the way out. */
function parseDoc<T>(row: DocRow): T {
  return JSON.parse(row.doc) as T;
}

function sortValues(row: FindRow, count: number): Scalar[] {
  return Array.from({ length: count }, (_, index) => {
    const value = row[`k${index}`];
    if (!isScalar(value)) throw new ReadStoreUnavailableError(`Sort key ${index} came back as non-scalar`);
    return value;
  });
}
