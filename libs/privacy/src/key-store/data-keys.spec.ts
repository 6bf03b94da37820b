import { DomainError } from '@crm/domain';
import { Slicer } from '@crm/platform/slicing';
import { MasterKeyring, UnknownMasterKeyError } from '../crypto/master-keyring';
import { InMemoryKeyStore } from '../testing/in-memory-key-store';
import { masterKey } from '../testing/keys';
import { DataKeys } from './data-keys';

const NOW = new Date('2026-01-01T00:00:00.000Z');

function setup(keyring = MasterKeyring.of([masterKey('m1')]), options = {}) {
  const store = new InMemoryKeyStore();
  return { store, keys: new DataKeys(store, keyring, { now: () => NOW, ...options }) };
}

describe('DataKeys', () => {
  it('creates a customer key once, stores it wrapped, and hands back the same key', async () => {
    const { store, keys } = setup();
    const first = await keys.forWriting('ada');
    expect(await keys.forWriting('ada')).toEqual(first);
    expect(await keys.forReading('ada')).toEqual(first);
    const record = await store.get('ada');
    expect(record).toMatchObject({ state: 'active', masterKeyId: 'm1', createdAt: NOW.toISOString() });
    expect(record?.state === 'active' && record.wrapped.includes(first)).toBe(false);
  });

  it('gives each customer its own key', async () => {
    const { keys } = setup();
    expect(await keys.forWriting('ada')).not.toEqual(await keys.forWriting('bob'));
  });

  it('has no key to read with for a customer that never had one, and creates none', async () => {
    const { store, keys } = setup();
    expect(await keys.forReading('ada')).toBeNull();
    expect(store.records.size).toBe(0);
  });

  describe('shred', () => {
    it('deletes the key material, also from the cache, and leaves a tombstone', async () => {
      const { store, keys } = setup();
      await keys.forWriting('ada');
      await keys.forWriting('bob');
      expect(await keys.shred('ada')).toEqual({
        state: 'shredded',
        customerId: 'ada',
        shreddedAt: NOW.toISOString(),
      });
      expect(await keys.forReading('ada')).toBeNull();
      expect(await store.get('ada')).toEqual({
        state: 'shredded',
        customerId: 'ada',
        shreddedAt: NOW.toISOString(),
      });
      expect(await keys.forReading('bob')).not.toBeNull();
    });

    it('refuses a new key for a shredded customer with CUSTOMER.ERASED', async () => {
      const { keys } = setup();
      await keys.forWriting('ada');
      await keys.shred('ada');
      const error = await keys.forWriting('ada').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CUSTOMER.ERASED', kind: 'gone' });
    });

    it('is harmless to repeat, keeping the first shredding time', async () => {
      const { keys } = setup();
      await keys.forWriting('ada');
      const first = await keys.shred('ada');
      expect(await keys.shred('ada')).toEqual(first);
    });
  });

  describe('rotate', () => {
    it('rewraps every key under the current master key, after which the old one is not needed', async () => {
      const old = masterKey('2025');
      const next = masterKey('2026');
      const { store, keys: before } = setup(MasterKeyring.of([old]));
      const ada = await before.forWriting('ada');
      const bob = await before.forWriting('bob');
      await before.shred('bob');

      const during = new DataKeys(store, MasterKeyring.of([next, old]), { cacheSize: 0 });
      expect(await during.rotate()).toEqual({ rewrapped: 1, currentMasterKeyId: '2026' });
      expect(await during.rotate()).toEqual({ rewrapped: 0, currentMasterKeyId: '2026' });

      const after = new DataKeys(store, MasterKeyring.of([next]), { cacheSize: 0 });
      expect(await after.forReading('ada')).toEqual(ada);
      expect(await after.forReading('bob')).toBeNull();
      expect(bob).toHaveLength(32);
      expect(await store.get('ada')).toMatchObject({ masterKeyId: '2026' });
    });

    it('lets what waits on the event loop run while it rewraps', async () => {
      const old = masterKey('2025');
      const { store, keys: before } = setup(MasterKeyring.of([old]));
      for (const id of ['ada', 'bob', 'cy']) await before.forWriting(id);
      const rotating = new DataKeys(store, MasterKeyring.of([masterKey('2026'), old]), { cacheSize: 0 });
      const order: string[] = [];
      setImmediate(() => order.push('next turn'));

      const result = await rotating.rotate(new Slicer({ sliceMs: 0 }));
      order.push('rotated');

      expect(result).toEqual({ rewrapped: 3, currentMasterKeyId: '2026' });
      expect(order).toEqual(['next turn', 'rotated']);
    });

    it('stops, naming them, when keys are wrapped by a master key that is not configured', async () => {
      const { store, keys } = setup(MasterKeyring.of([masterKey('lost')]));
      await keys.forWriting('ada');
      const rotating = new DataKeys(store, MasterKeyring.of([masterKey('new')]));
      await expect(rotating.rotate()).rejects.toThrow(UnknownMasterKeyError);
      await expect(rotating.rotate()).rejects.toThrow(/lost/);
    });
  });

  describe('cache', () => {
    const SHREDDED = { state: 'shredded', customerId: 'ada', shreddedAt: NOW.toISOString() } as const;

    it('serves a cached key while the store reports no change made elsewhere', async () => {
      const { store, keys } = setup();
      const key = await keys.forWriting('ada');
      store.records.set('ada', SHREDDED); // behind the cache's back, without moving the version

      expect(await keys.forReading('ada')).toEqual(key);
    });

    it('asks the store again once another process changed it, and then refuses an erased customer', async () => {
      const { store, keys } = setup();
      await keys.forWriting('ada');
      store.records.set('ada', SHREDDED);
      store.version += 1; // as a shred by another process would

      expect(await keys.forReading('ada')).toBeNull();
      await expect(keys.forWriting('ada')).rejects.toMatchObject({ code: 'CUSTOMER.ERASED' });
    });

    it('keeps at most cacheSize keys, the least recently used going first', async () => {
      const { store, keys } = setup(undefined, { cacheSize: 1 });
      await keys.forWriting('ada');
      const bob = await keys.forWriting('bob');
      store.records.set('ada', SHREDDED);
      store.records.delete('bob');

      expect(await keys.forReading('ada')).toBeNull(); // pushed out by bob: read from the store again
      expect(await keys.forReading('bob')).toEqual(bob); // still cached
    });

    it('does not cache a key read while another process changed the store', async () => {
      const store = new (class extends InMemoryKeyStore {
        override async get(customerId: string) {
          const record = await super.get(customerId);
          this.version += 1; // a shred elsewhere lands while this read is awaited
          return record;
        }
      })();
      const keys = new DataKeys(store, MasterKeyring.of([masterKey('m')]), { now: () => NOW });
      await keys.forWriting('ada');
      store.records.set('ada', SHREDDED);

      expect(await keys.forReading('ada')).toBeNull();
    });
  });
});
