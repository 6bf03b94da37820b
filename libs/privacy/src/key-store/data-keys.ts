import { gone, CustomerErrorCode } from '@crm/domain';
import { Slicer } from '@crm/platform/slicing';
import { newKey } from '../crypto/aes-gcm';
import { type MasterKeyring, UnknownMasterKeyError } from '../crypto/master-keyring';
import type { ActiveDataKey, KeyStore, ShreddedDataKey } from './key-store.port';

export type DataKeysOptions = {
  /**
   * Unwrapped keys kept in memory, least recently used out first (0
   * disables). Default 10,000. They are trusted only while the store's
   * changesElsewhere() stands still: once another process changed the store
   * (shredded a key, say), every cached key is asked for again.
   */
  readonly cacheSize?: number;
  readonly now?: () => Date;
};

export type RotationResult = {
  /** Data keys now wrapped by the current master key that were not before. */
  readonly rewrapped: number;
  readonly currentMasterKeyId: string;
};

const ROTATION_PAGE = 500;

/**
 * The per-customer data keys in use: created on the first personal field a
 * customer's event carries, unwrapped with the master keyring, cached, and
 * shredded on erasure. A shredded customer never gets a key again.
 */
export class DataKeys {
  /** Map keeps insertion order: re-inserting marks a key as recently used, the first is the oldest. */
  private readonly cache = new Map<string, Buffer>();
  private readonly cacheSize: number;
  private readonly now: () => Date;
  private seenVersion: number;

  constructor(
    private readonly store: KeyStore,
    private readonly keyring: MasterKeyring,
    options: DataKeysOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? (() => new Date());
    this.seenVersion = store.changesElsewhere();
  }

  /**
   * The key to encrypt a new event of this customer with, created when the
   * customer has none yet.
   *
   * @throws DomainError CUSTOMER.ERASED when the customer's key was shredded.
   */
  async forWriting(customerId: string): Promise<Buffer> {
    const cached = this.cached(customerId);
    if (cached) return cached;
    const readAt = this.store.changesElsewhere();
    const existing = await this.store.get(customerId);
    const record =
      existing ??
      (await this.store.createIfAbsent({
        state: 'active',
        customerId,
        createdAt: this.now().toISOString(),
        ...this.keyring.wrap(customerId, newKey()),
      }));
    if (record.state === 'shredded') {
      throw gone(
        CustomerErrorCode.Erased,
        `Customer ${customerId} was erased; no personal data can be recorded`,
      );
    }
    return this.unwrapped(record, readAt);
  }

  /** The key to decrypt with, or null when it was shredded (or never existed). */
  async forReading(customerId: string): Promise<Buffer | null> {
    const cached = this.cached(customerId);
    if (cached) return cached;
    const readAt = this.store.changesElsewhere();
    const record = await this.store.get(customerId);
    return record?.state === 'active' ? this.unwrapped(record, readAt) : null;
  }

  /** Deletes the customer's key for good (crypto-shredding); repeating it is harmless. */
  async shred(customerId: string): Promise<ShreddedDataKey> {
    this.cache.delete(customerId);
    const tombstone = await this.store.shred(customerId, this.now().toISOString());
    this.cache.delete(customerId);
    return tombstone;
  }

  /**
   * Rewraps every data key under the current master key; no event is touched.
   * One key at a time, sharing the event loop a slice at a time (it runs in
   * the API process, on a route).
   */
  async rotate(slicer: Slicer = new Slicer()): Promise<RotationResult> {
    const current = this.keyring.currentId;
    let rewrapped = 0;
    for (;;) {
      const page = await this.store.wrappedByOtherThan(current, ROTATION_PAGE);
      if (page.length === 0) break;
      const unknown = [...new Set(page.map((key) => key.masterKeyId).filter((id) => !this.keyring.has(id)))];
      if (unknown.length > 0) throw new UnknownMasterKeyError(unknown);
      for (const key of page) {
        const next = this.keyring.wrap(key.customerId, this.keyring.unwrap(key.customerId, key));
        if (await this.store.rewrap(key.customerId, key.masterKeyId, next)) rewrapped++;
        await slicer.tick();
      }
    }
    await this.store.purgeDeleted();
    return { rewrapped, currentMasterKeyId: current };
  }

  /** `readAt`: changesElsewhere() before the record was read; the key is cached only if it still holds. */
  private unwrapped(record: ActiveDataKey, readAt: number): Buffer {
    const key = this.keyring.unwrap(record.customerId, record);
    this.remember(record.customerId, key, readAt);
    return key;
  }

  private cached(customerId: string): Buffer | undefined {
    const version = this.store.changesElsewhere();
    if (version !== this.seenVersion) {
      this.cache.clear();
      this.seenVersion = version;
    }
    const hit = this.cache.get(customerId);
    if (hit === undefined) return undefined;
    this.cache.delete(customerId);
    this.cache.set(customerId, hit);
    return hit;
  }

  private remember(customerId: string, key: Buffer, readAt: number): void {
    // Another process changed the store while this read was awaited: the record may already be shredded.
    if (this.cacheSize === 0 || readAt !== this.store.changesElsewhere()) return;
    if (readAt !== this.seenVersion) {
      this.cache.clear();
      this.seenVersion = readAt;
    }
    this.cache.delete(customerId);
    this.cache.set(customerId, key);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
