import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { WrappedKey } from '../crypto/master-keyring';
import type { ActiveDataKey, DataKeyRecord, KeyStore, ShreddedDataKey } from './key-store.port';

/**
 * One row per customer. A shredded row keeps only the id and the time: the
 * tombstone stops a key from being created again for an erased customer.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS data_keys (
  customer_id   TEXT NOT NULL PRIMARY KEY,
  master_key_id TEXT,
  wrapped       BLOB,
  created_at    TEXT,
  shredded_at   TEXT
) STRICT;
`;

type Row = {
  readonly customer_id: string;
  readonly master_key_id: string | null;
  readonly wrapped: Buffer | null;
  readonly created_at: string | null;
  readonly shredded_at: string | null;
};

export type SqliteKeyStoreOptions = {
  /** e.g. `data/keys.sqlite`; its directory is created. */
  readonly file: string;
  readonly busyTimeoutMs?: number;
};

/** The embedded key store: its own SQLite file beside the event store. */
export class SqliteKeyStore implements KeyStore {
  private readonly select: Database.Statement<[string], Row>;
  private readonly insert: Database.Statement<[string, string, Buffer, string]>;
  private readonly tombstone: Database.Statement<[{ customerId: string; at: string }]>;
  private readonly others: Database.Statement<[string, number], Row>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly replace: Database.Statement<
    [{ customerId: string; masterKeyId: string; wrapped: Buffer; from: string }]
  >;

  private constructor(private readonly db: Database.Database) {
    this.select = db.prepare('SELECT * FROM data_keys WHERE customer_id = ?');
    this.insert = db.prepare(
      'INSERT INTO data_keys (customer_id, master_key_id, wrapped, created_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (customer_id) DO NOTHING',
    );
    this.tombstone = db.prepare(
      'INSERT INTO data_keys (customer_id, shredded_at) VALUES (@customerId, @at) ON CONFLICT (customer_id) ' +
        'DO UPDATE SET master_key_id = NULL, wrapped = NULL, created_at = NULL, shredded_at = coalesce(shredded_at, @at)',
    );
    this.others = db.prepare(
      'SELECT * FROM data_keys WHERE wrapped IS NOT NULL AND master_key_id <> ? ORDER BY customer_id LIMIT ?',
    );
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.replace = db.prepare(
      'UPDATE data_keys SET master_key_id = @masterKeyId, wrapped = @wrapped ' +
        'WHERE customer_id = @customerId AND master_key_id = @from AND wrapped IS NOT NULL',
    );
  }

  static open(options: SqliteKeyStoreOptions): Promise<SqliteKeyStore> {
    mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    try {
      db.pragma('journal_mode = WAL');
      // A key must be on disk before any event encrypted with it is acknowledged.
      db.pragma('synchronous = FULL');
      // Deleted content is overwritten with zeros, not left in free pages.
      db.pragma('secure_delete = ON');
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
      db.exec(SCHEMA);
      return Promise.resolve(new SqliteKeyStore(db));
    } catch (error) {
      db.close();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  get(customerId: string): Promise<DataKeyRecord | null> {
    return this.run(() => this.recordOf(customerId));
  }

  createIfAbsent(key: ActiveDataKey): Promise<DataKeyRecord> {
    return this.run(() => {
      this.insert.run(key.customerId, key.masterKeyId, key.wrapped, key.createdAt);
      return this.recordOf(key.customerId) ?? key;
    });
  }

  shred(customerId: string, shreddedAt: string): Promise<ShreddedDataKey> {
    return this.run(() => {
      this.tombstone.run({ customerId, at: shreddedAt });
      this.checkpoint();
      const record = this.recordOf(customerId);
      if (record?.state !== 'shredded') throw new Error(`The key of ${customerId} was not shredded`);
      return record;
    });
  }

  wrappedByOtherThan(masterKeyId: string, limit: number): Promise<ActiveDataKey[]> {
    return this.run(() =>
      this.others.all(masterKeyId, limit).flatMap((row) => {
        const record = toRecord(row);
        return record.state === 'active' ? [record] : [];
      }),
    );
  }

  rewrap(customerId: string, from: string, to: WrappedKey): Promise<boolean> {
    return this.run(
      () =>
        this.replace.run({ customerId, masterKeyId: to.masterKeyId, wrapped: to.wrapped, from }).changes ===
        1,
    );
  }

  purgeDeleted(): Promise<void> {
    return this.run(() => this.checkpoint());
  }

  /** SQLite's data_version: moved by commits of other connections only, read from shared memory. */
  changesElsewhere(): number {
    return this.dataVersion.get() ?? 0;
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private recordOf(customerId: string): DataKeyRecord | null {
    const row = this.select.get(customerId);
    return row ? toRecord(row) : null;
  }

  /**
   * secure_delete zeroes the old row in the page, but in WAL mode earlier
   * versions of the page stay in the -wal file until a checkpoint; TRUNCATE
   * copies the latest pages into the database and empties the WAL.
   */
  private checkpoint(): void {
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    // Busy: another connection still reads an old snapshot, so old pages may remain; a retry finishes.
    if (result?.busy !== 0) throw new Error('The key store WAL could not be truncated; retry');
  }

  private run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function toRecord(row: Row): DataKeyRecord {
  if (row.wrapped === null || row.master_key_id === null) {
    return { state: 'shredded', customerId: row.customer_id, shreddedAt: row.shredded_at ?? '' };
  }
  return {
    state: 'active',
    customerId: row.customer_id,
    masterKeyId: row.master_key_id,
    wrapped: row.wrapped,
    createdAt: row.created_at ?? '',
  };
}
