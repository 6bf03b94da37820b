import type { ApiKeyRecord } from './api-key';

/**
 * Where API keys live: hashed secrets, names, roles. Small on purpose, so that
 * an engine other than the embedded SQLite file can hold them too.
 */
export interface ApiKeyStore {
  /** @throws DuplicateApiKeyError when a key with this id exists. */
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked (keeping the first revocation time); null when there is no such key. */
  revoke(id: string, at: string): Promise<ApiKeyRecord | null>;
  close(): Promise<void>;
}

export class DuplicateApiKeyError extends Error {
  constructor(readonly id: string) {
    super(`An API key with id ${id} exists`);
    this.name = 'DuplicateApiKeyError';
  }
}

/** DI token for the configured key store. */
export const API_KEY_STORE = Symbol('API_KEY_STORE');
