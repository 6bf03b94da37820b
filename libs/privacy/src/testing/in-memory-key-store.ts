import type { WrappedKey } from '../crypto/master-keyring';
import type { ActiveDataKey, DataKeyRecord, KeyStore, ShreddedDataKey } from '../key-store/key-store.port';

/** A KeyStore in a Map, for unit tests (no I/O). */
export class InMemoryKeyStore implements KeyStore {
  readonly records = new Map<string, DataKeyRecord>();
  /** What changesElsewhere() answers: a test moves it when it changes `records` "as another process". */
  version = 0;

  get(customerId: string): Promise<DataKeyRecord | null> {
    return Promise.resolve(this.records.get(customerId) ?? null);
  }

  createIfAbsent(key: ActiveDataKey): Promise<DataKeyRecord> {
    const existing = this.records.get(key.customerId);
    if (existing) return Promise.resolve(existing);
    this.records.set(key.customerId, key);
    return Promise.resolve(key);
  }

  shred(customerId: string, shreddedAt: string): Promise<ShreddedDataKey> {
    const existing = this.records.get(customerId);
    const tombstone: ShreddedDataKey =
      existing?.state === 'shredded' ? existing : { state: 'shredded', customerId, shreddedAt };
    this.records.set(customerId, tombstone);
    return Promise.resolve(tombstone);
  }

  wrappedByOtherThan(masterKeyId: string, limit: number): Promise<ActiveDataKey[]> {
    const keys = [...this.records.values()].filter(
      (record): record is ActiveDataKey => record.state === 'active' && record.masterKeyId !== masterKeyId,
    );
    return Promise.resolve(keys.slice(0, limit));
  }

  rewrap(customerId: string, from: string, to: WrappedKey): Promise<boolean> {
    const existing = this.records.get(customerId);
    if (existing?.state !== 'active' || existing.masterKeyId !== from) return Promise.resolve(false);
    this.records.set(customerId, { ...existing, ...to });
    return Promise.resolve(true);
  }

  purgeDeleted(): Promise<void> {
    return Promise.resolve();
  }

  changesElsewhere(): number {
    return this.version;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
