import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeys, InvalidApiKeyRequestError, parseRoles } from './api-keys';
import { DuplicateApiKeyError } from './api-key-store.port';
import { SqliteApiKeyStore } from './sqlite-api-key-store';

describe('ApiKeys over the SQLite key store', () => {
  let dir: string;
  let store: SqliteApiKeyStore;
  let now: Date;
  let keys: ApiKeys;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-keys-'));
    store = SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite'));
    now = new Date('2026-03-01T00:00:00.000Z');
    keys = new ApiKeys(store, () => now);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates an issued key and returns its record', async () => {
    const { key, record } = await keys.issue('importer', ['ingest', 'read']);

    expect(await keys.authenticate(key)).toEqual(record);
    expect(record).toMatchObject({ name: 'importer', roles: ['ingest', 'read'], revokedAt: null });
  });

  it('refuses a key with a wrong secret, an unknown id or a malformed shape', async () => {
    const { key } = await keys.issue('importer', ['ingest']);
    const wrongSecret = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const unknownId = `crm_${'0'.repeat(16)}_${key.slice(-43)}`;

    expect(await keys.authenticate(wrongSecret)).toBeNull();
    expect(await keys.authenticate(unknownId)).toBeNull();
    expect(await keys.authenticate('not-a-key')).toBeNull();
  });

  it('refuses a revoked key, and keeps the first revocation time', async () => {
    const { key, record } = await keys.issue('old', ['read']);

    const revoked = await keys.revoke(record.id);
    now = new Date('2026-04-01T00:00:00.000Z');
    const again = await keys.revoke(record.id);

    expect(revoked?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(again?.revokedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(await keys.authenticate(key)).toBeNull();
    expect(await keys.revoke('ffffffffffffffff')).toBeNull();
  });

  it('lists every key oldest first, revoked ones included', async () => {
    const first = await keys.issue('first', ['read']);
    now = new Date('2026-03-02T00:00:00.000Z');
    const second = await keys.issue('second', ['admin']);
    await keys.revoke(first.record.id);

    const listed = await keys.list();

    expect(listed.map((record) => [record.name, record.revokedAt !== null])).toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(listed[1]).toEqual(second.record);
  });

  it('sees keys another process wrote to the same file', async () => {
    const other = SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite'));
    const { key } = await new ApiKeys(other, () => now).issue('cli', ['read']);
    await other.close();

    expect(await keys.authenticate(key)).not.toBeNull();
  });

  it('refuses a key revoked in this process at its very next use, though it was just accepted', async () => {
    const { key, record } = await keys.issue('importer', ['ingest']);
    expect(await keys.authenticate(key)).not.toBeNull();

    await keys.revoke(record.id);

    expect(await keys.authenticate(key)).toBeNull();
  });

  it('refuses a key another process revoked once the recheck interval has passed, not before', async () => {
    let clock = 0;
    const cachedStore = SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite'), {
      recheckMs: 1000,
      now: () => clock,
    });
    const cached = new ApiKeys(cachedStore, () => now);
    const { key, record } = await cached.issue('importer', ['ingest']);
    expect(await cached.authenticate(key)).not.toBeNull();
    const other = SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite'));

    await new ApiKeys(other, () => now).revoke(record.id);
    await other.close();

    clock = 999;
    expect(await cached.authenticate(key)).not.toBeNull(); // still within the bound
    clock = 1000;
    expect(await cached.authenticate(key)).toBeNull();
    await cachedStore.close();
  });

  it('keeps every key working when more keys are in use than the cache holds', async () => {
    const smallStore = SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite'), { cacheSize: 1 });
    const small = new ApiKeys(smallStore, () => now);
    const first = await small.issue('a', ['read']);
    const second = await small.issue('b', ['read']);
    for (let round = 0; round < 2; round++) {
      expect(await small.authenticate(first.key)).toEqual(first.record);
      expect(await small.authenticate(second.key)).toEqual(second.record);
    }
    await small.revoke(first.record.id);

    expect(await small.authenticate(first.key)).toBeNull();
    expect(await small.authenticate(second.key)).toEqual(second.record);
    await smallStore.close();
  });

  it('refuses a second key with the same id', async () => {
    const { record } = await keys.issue('a', ['read']);

    await expect(store.insert(record)).rejects.toBeInstanceOf(DuplicateApiKeyError);
  });

  it('refuses a key without roles or with an unprintable name', async () => {
    await expect(keys.issue('a', [])).rejects.toBeInstanceOf(InvalidApiKeyRequestError);
    await expect(keys.issue('bad\nname', ['read'])).rejects.toBeInstanceOf(InvalidApiKeyRequestError);
    expect(await keys.list()).toEqual([]);
  });
});

describe('parseRoles', () => {
  it('reads a comma-separated list', () => {
    expect(parseRoles('read, ingest')).toEqual(['read', 'ingest']);
  });

  it.each(['', ' , ', 'read,owner'])('refuses %p', (list) => {
    expect(() => parseRoles(list)).toThrow(InvalidApiKeyRequestError);
  });
});
