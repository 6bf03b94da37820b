import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LruCache } from '../cache/lru-cache';
import type { ApiKeyRecord } from './api-key';
import { type ApiKeyStore, DuplicateApiKeyError } from './api-key-store.port';
import { ROLES, type Role } from './role-names';

type KeyRow = {
  readonly id: string;
  readonly name: string;
  readonly roles: string;
  readonly secret_hash: string;
  readonly created_at: string;
  readonly revoked_at: string | null;
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
  )`;

export type SqliteApiKeyStoreOptions = {
  /** Key records kept in memory between requests (0 disables). Default 1,000. */
  readonly cacheSize?: number;
  /**
   * How often the cache asks whether another process wrote to the file:
   * the longest a revocation made elsewhere goes unseen. Default 1000 ms.
   */
  readonly recheckMs?: number;
  /** Milliseconds of a monotonic clock; default performance.now. */
  readonly now?: () => number;
};

/**
 * The embedded key store: a SQLite file of its own in DATA_DIR, shared by the
 * API and the `keys` CLI command (WAL, so one process reads while the other
 * writes).
 *
 * Every request looks its key up here, so records are cached (bounded, least
 * recently used) and the statements prepared once. The cache is trusted only
 * while `PRAGMA data_version` stands still: SQLite moves it when another
 * connection (the CLI, another API process) commits to this file, and then
 * the whole cache goes. The counter is read at most once a second
 * (`recheckMs`): reading it opens a read transaction (shared-memory locks,
 * ~20 us under load, 2 % of the API's CPU when read per request), and a
 * revocation by the CLI taking effect within a second is the contract. A
 * plain TTL would have re-read every key on expiry whether or not anything
 * changed. This connection's own writes do not move the counter; they evict
 * the key they change at once.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly cache: LruCache<string, ApiKeyRecord>;
  private readonly statements: Statements;
  private seenVersion: number;
  private readonly recheckMs: number;
  private readonly now: () => number;
  private checkedAt: number;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteApiKeyStoreOptions,
  ) {
    this.cache = new LruCache(options.cacheSize ?? 1000);
    this.statements = {
      insert: db.prepare(
        `INSERT INTO api_keys (id, name, roles, secret_hash, created_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ),
      select: db.prepare('SELECT * FROM api_keys WHERE id = ?'),
      list: db.prepare('SELECT * FROM api_keys ORDER BY created_at, id'),
      revoke: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.recheckMs = options.recheckMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.seenVersion = this.dataVersion();
    this.checkedAt = this.now();
  }

  static open(file: string, options: SqliteApiKeyStoreOptions = {}): SqliteApiKeyStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      return new SqliteApiKeyStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  insert(record: ApiKeyRecord): Promise<void> {
    return this.attempt(() => {
      this.cache.delete(record.id);
      const inserted = this.statements.insert.run(
        record.id,
        record.name,
        JSON.stringify(record.roles),
        record.secretHash,
        record.createdAt,
        record.revokedAt,
      );
      if (inserted.changes === 0) throw new DuplicateApiKeyError(record.id);
    });
  }

  get(id: string): Promise<ApiKeyRecord | null> {
    return this.attempt(() => {
      this.forgetIfChangedElsewhere();
      const cached = this.cache.get(id);
      if (cached) return cached;
      const record = this.read(id);
      // Unknown ids are not cached: a client making them up cannot push real keys out.
      if (record) this.cache.set(id, record);
      return record;
    });
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.attempt(() => this.statements.list.all().map(toRecord));
  }

  revoke(id: string, at: string): Promise<ApiKeyRecord | null> {
    return this.attempt(() => {
      this.cache.delete(id);
      this.statements.revoke.run(at, id);
      return this.read(id);
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  private read(id: string): ApiKeyRecord | null {
    const row = this.statements.select.get(id);
    return row ? toRecord(row) : null;
  }

  private forgetIfChangedElsewhere(): void {
    const now = this.now();
    if (now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    const version = this.dataVersion();
    if (version !== this.seenVersion) {
      this.cache.clear();
      this.seenVersion = version;
    }
  }

  private dataVersion(): number {
    return this.statements.dataVersion.get() ?? 0;
  }

  /** better-sqlite3 is synchronous; this gives it the port's promise shape, errors included. */
  private attempt<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

type Statements = {
  readonly insert: Database.Statement<[string, string, string, string, string, string | null]>;
  readonly select: Database.Statement<[string], KeyRow>;
  readonly list: Database.Statement<[], KeyRow>;
  readonly revoke: Database.Statement<[string, string]>;
  readonly dataVersion: Database.Statement<[], number>;
};

function toRecord(row: KeyRow): ApiKeyRecord {
  const stored: unknown = JSON.parse(row.roles);
  // A role no longer known to the code grants nothing.
  const roles = Array.isArray(stored)
    ? stored.filter((role): role is Role => (ROLES as readonly unknown[]).includes(role))
    : [];
  return {
    id: row.id,
    name: row.name,
    roles,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
