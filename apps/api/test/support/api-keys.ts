import { join } from 'node:path';
import { ApiKeys, parseApiKey, ROLES, type Role, SqliteApiKeyStore } from '@crm/platform';

/**
 * Puts a key into the key store of `dataDir` (as `npx crm keys create`
 * would) and returns it. Test apps get one with every role, so suites about
 * anything but access control are not about keys; a store holding a key also
 * means the app makes no dev key.
 */
export async function issueTestKey(
  dataDir: string,
  roles: readonly Role[] = ROLES,
  name = 'e2e',
): Promise<string> {
  const store = SqliteApiKeyStore.open(join(dataDir, 'api-keys.sqlite'));
  try {
    return (await new ApiKeys(store, () => new Date()).issue(name, roles)).key;
  } finally {
    await store.close();
  }
}

/** The header a test request sends its key in. */
export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The id part of a key: what events record as their `actor`. */
export function keyIdOf(key: string): string {
  const id = parseApiKey(key)?.id;
  if (id === undefined) throw new Error('not an API key');
  return id;
}
