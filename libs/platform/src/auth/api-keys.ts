import { type ApiKeyRecord, generateApiKey, type IssuedApiKey, parseApiKey, secretMatches } from './api-key';
import type { ApiKeyStore } from './api-key-store.port';
import { ROLES, type Role } from './role-names';

/** A name to recognise a key by: printable, no secrets expected in it. */
const KEY_NAME = /^[\w .:@/+=-]{1,100}$/;

/** A key request the store refuses: bad name or roles. */
export class InvalidApiKeyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiKeyRequestError';
  }
}

/** Parses `read,ingest` into roles; throws InvalidApiKeyRequestError naming the unknown ones. */
export function parseRoles(list: string): Role[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new InvalidApiKeyRequestError(
      `Unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`,
    );
  }
  if (names.length === 0)
    throw new InvalidApiKeyRequestError(`A key needs at least one of ${ROLES.join(', ')}`);
  return names as Role[];
}

/** Issuing, checking and revoking API keys over any key store; no framework, so the CLI uses it too. */
export class ApiKeys {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly now: () => Date,
  ) {}

  /** Stores a new key and returns it; the full key is never retrievable again. */
  async issue(name: string, roles: readonly Role[]): Promise<IssuedApiKey> {
    if (!KEY_NAME.test(name)) {
      throw new InvalidApiKeyRequestError('A key name is 1-100 letters, digits, spaces and ._:@/+=-');
    }
    if (roles.length === 0)
      throw new InvalidApiKeyRequestError(`A key needs at least one of ${ROLES.join(', ')}`);
    const issued = generateApiKey(name, roles, this.now());
    await this.store.insert(issued.record);
    return issued;
  }

  /** The record of a presented key when it is well formed, known, not revoked and its secret matches. */
  async authenticate(presented: string): Promise<ApiKeyRecord | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const record = await this.store.get(parsed.id);
    if (!record || record.revokedAt !== null) return null;
    return secretMatches(parsed.secret, record.secretHash) ? record : null;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }

  revoke(id: string): Promise<ApiKeyRecord | null> {
    return this.store.revoke(id, this.now().toISOString());
  }
}
