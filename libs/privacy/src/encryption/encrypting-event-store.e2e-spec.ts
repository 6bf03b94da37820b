import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED_VALUE, toStoredShape } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { SqliteEventStore } from '@crm/event-store';
import { eventStoreContract } from '@crm/event-store/testing';
import { MasterKeyring } from '../crypto/master-keyring';
import { DataKeys } from '../key-store/data-keys';
import { SqliteKeyStore } from '../key-store/sqlite-key-store';
import { findOnDisk } from '../testing/disk-scan';
import { masterKey } from '../testing/keys';
import { EncryptingEventStore } from './encrypting-event-store';
import { PersonalDataCipher } from './personal-data-cipher';

const dirs: string[] = [];
function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function openStores(dir = newDir(), master = masterKey('m')) {
  const raw = await SqliteEventStore.open({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  const keyStore = await SqliteKeyStore.open({ file: join(dir, 'keys.sqlite') });
  const keys = new DataKeys(keyStore, MasterKeyring.of([master]));
  const store = new EncryptingEventStore(raw, new PersonalDataCipher(keys));
  const close = async () => {
    await store.close();
    await keyStore.close();
  };
  return { dir, master, raw, keyStore, keys, store, close };
}

eventStoreContract('EncryptingEventStore over SqliteEventStore', async () => {
  const { store, close } = await openStores();
  return { store, dispose: close };
});

describe('EncryptingEventStore', () => {
  const ada = createEventFactory({ customerId: 'ada' });
  const registered = ada.customerRegistered({
    name: 'Augusta Byron',
    email: 'augusta@analytical.example',
    attributes: { pet: 'a raven called Quoth' },
  });
  const call = ada.callLogged({ notes: 'asked about the difference engine' });
  const PLAINTEXT = ['Augusta Byron', 'augusta@analytical.example', 'Quoth', 'difference engine'];

  it('keeps only ciphertext in the inner store and on disk, and decrypts on every read path', async () => {
    const { dir, raw, store, close } = await openStores();
    await store.append('customer-ada', [toStoredShape(registered), toStoredShape(call)]);

    const rawData = JSON.stringify((await raw.readAll()).map((event) => event.data));
    PLAINTEXT.forEach((value) => expect(rawData).not.toContain(value));
    expect(findOnDisk(dir, PLAINTEXT)).toEqual([]);

    expect((await store.readStream('customer-ada')).map((e) => e.data)).toEqual([registered.data, call.data]);
    expect((await store.readAll()).map((e) => e.data)).toEqual([registered.data, call.data]);
    const stop = new AbortController();
    const followed = [];
    for await (const event of store.follow({ signal: stop.signal })) {
      followed.push(event.data);
      if (followed.length === 2) stop.abort();
    }
    expect(followed).toEqual([registered.data, call.data]);
    await close();
  });

  it('reads shredded fields as ERASED_VALUE and leaves no key bytes on disk', async () => {
    const { dir, keyStore, keys, store, close } = await openStores();
    await store.append('customer-ada', [toStoredShape(registered), toStoredShape(call)]);
    const record = await keyStore.get('ada');
    if (record?.state !== 'active') throw new Error('expected an active key');
    expect(findOnDisk(dir, [record.wrapped])).not.toEqual([]);

    await keys.shred('ada');

    expect(findOnDisk(dir, [record.wrapped])).toEqual([]);
    const [readRegistered, readCall] = await store.readStream('customer-ada');
    expect(readRegistered?.data).toEqual({
      customerId: 'ada',
      kind: 'person',
      name: ERASED_VALUE,
      email: ERASED_VALUE,
      attributes: ERASED_VALUE,
    });
    expect(readCall?.data).toEqual({ ...call.data, notes: ERASED_VALUE });
    await close();
  });

  it('keeps the keys across a restart', async () => {
    const first = await openStores();
    await first.store.append('customer-ada', [toStoredShape(registered)]);
    await first.close();
    const again = await openStores(first.dir, first.master);
    expect((await again.store.readStream('customer-ada'))[0]?.data).toEqual(registered.data);
    await again.close();
  });
});
