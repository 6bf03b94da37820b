import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKeyring } from '../crypto/master-keyring';
import { masterKey } from '../testing/keys';
import { DataKeys } from './data-keys';
import { SqliteKeyStore } from './sqlite-key-store';

describe('DataKeys over the SQLite key store, shared by two processes', () => {
  let dir: string;
  let ours: SqliteKeyStore;
  let theirs: SqliteKeyStore;
  const keyring = MasterKeyring.of([masterKey('m')]);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-data-keys-'));
    ours = await SqliteKeyStore.open({ file: join(dir, 'keys.sqlite') });
    theirs = await SqliteKeyStore.open({ file: join(dir, 'keys.sqlite') });
  });

  afterEach(async () => {
    await ours.close();
    await theirs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('neither encrypts for nor decrypts a customer the other erased after this one cached its key', async () => {
    const keys = new DataKeys(ours, keyring);
    const key = await keys.forWriting('ada');
    expect(await keys.forReading('ada')).toEqual(key);

    await new DataKeys(theirs, keyring).shred('ada');

    expect(await keys.forReading('ada')).toBeNull();
    await expect(keys.forWriting('ada')).rejects.toMatchObject({ code: 'CUSTOMER.ERASED' });
  });

  it('keeps serving the keys of other customers after the other process wrote', async () => {
    const keys = new DataKeys(ours, keyring);
    const bob = await keys.forWriting('bob');

    await new DataKeys(theirs, keyring).forWriting('cy');

    expect(await keys.forReading('bob')).toEqual(bob);
    expect(await keys.forReading('cy')).toHaveLength(32);
  });

  it('reports changes made by the other connection only, not its own', async () => {
    const before = ours.changesElsewhere();
    await new DataKeys(ours, keyring).forWriting('ada');
    expect(ours.changesElsewhere()).toBe(before);

    await new DataKeys(theirs, keyring).forWriting('bob');
    expect(ours.changesElsewhere()).not.toBe(before);
  });
});
