/**
 * Where the per-customer data keys live, beside the event store and never in
 * it: deleting a key (shredding) is what erases a customer's personal data
 * from an append-only log. Kept small enough for any engine (an embedded
 * SQLite table here; a MongoDB collection beside the production read store
 * would fit the same shape).
 */
import type { WrappedKey } from '../crypto/master-keyring';

export type ActiveDataKey = WrappedKey & {
  readonly state: 'active';
  readonly customerId: string;
  readonly createdAt: string;
};

/** What stays after shredding: that there was a key, and when it went. No key material. */
export type ShreddedDataKey = {
  readonly state: 'shredded';
  readonly customerId: string;
  readonly shreddedAt: string;
};

export type DataKeyRecord = ActiveDataKey | ShreddedDataKey;

export interface KeyStore {
  /** The customer's record, or null when no key was ever created. */
  get(customerId: string): Promise<DataKeyRecord | null>;

  /**
   * Stores the key unless the customer already has a record, and returns the
   * record that holds afterwards: the given key, the one another writer
   * stored first, or the tombstone of a shredded key (never replaced). The
   * write is durable before this resolves: an event is encrypted with the
   * key only after that.
   */
  createIfAbsent(key: ActiveDataKey): Promise<DataKeyRecord>;

  /**
   * Deletes the key material and leaves a tombstone; also makes the deleted
   * bytes unrecoverable from the engine's own files (where the engine allows).
   * Returns the tombstone, or null when the customer never had a key (a
   * tombstone is then recorded too, so no key can be created later).
   */
  shred(customerId: string, shreddedAt: string): Promise<ShreddedDataKey>;

  /** Up to `limit` active keys not wrapped by `masterKeyId`, for rotation. */
  wrappedByOtherThan(masterKeyId: string, limit: number): Promise<ActiveDataKey[]>;

  /**
   * Replaces a key's wrapping if it is still wrapped by `from` (a concurrent
   * shred or rotation wins); returns whether it was replaced. The old
   * wrapping's bytes go as with shred.
   */
  rewrap(customerId: string, from: string, to: WrappedKey): Promise<boolean>;

  /** Makes bytes of deleted or replaced keys unrecoverable from the engine's files (after a batch of rewraps). */
  purgeDeleted(): Promise<void>;

  /**
   * A counter that moves whenever another connection (another process)
   * committed a change to the store since, and stays put for this one's own
   * writes. DataKeys trusts its cached keys only while it stands still, so a
   * key shredded elsewhere is never used after the store recorded it. Cheap:
   * asked before every cached key is used.
   */
  changesElsewhere(): number;

  close(): Promise<void>;
}

/** DI token for the configured key store. */
export const KEY_STORE = Symbol('KEY_STORE');
