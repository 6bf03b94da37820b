import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ApiKeyRecord } from './api-key';
import { type ApiKeyStore, DuplicateApiKeyError } from './api-key-store.port';
import { ROLES, type Role } from './roles';

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

/**
 * The embedded key store: a SQLite file of its own in DATA_DIR, shared by the
 * API and the `keys` CLI command (WAL, so one process reads while the other
 * writes; a revocation is seen by the next request).
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): SqliteApiKeyStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteApiKeyStore(db);
  }

  insert(record: ApiKeyRecord): Promise<void> {
    return this.attempt(() => {
      const inserted = this.db
        .prepare(
          `INSERT INTO api_keys (id, name, roles, secret_hash, created_at, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        )
        .run(
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
      const row = this.db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?').get(id);
      return row ? toRecord(row) : null;
    });
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.attempt(() =>
      this.db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id').all().map(toRecord),
    );
  }

  revoke(id: string, at: string): Promise<ApiKeyRecord | null> {
    return this.attempt(() => {
      this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
      const row = this.db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?').get(id);
      return row ? toRecord(row) : null;
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
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
