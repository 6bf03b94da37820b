import type { MasterKeyConfig } from '@crm/platform/config';
import { KEY_BYTES, open, seal } from './aes-gcm';

/** A data key as stored: encrypted under one master key. */
export type WrappedKey = { readonly masterKeyId: string; readonly wrapped: Buffer };

export class UnknownMasterKeyError extends Error {
  constructor(readonly masterKeyIds: readonly string[]) {
    super(
      `Data keys are wrapped by master key(s) ${masterKeyIds.join(', ')}, not in MASTER_KEYS: ` +
        'add them back (after the current key) to read or rotate',
    );
    this.name = 'UnknownMasterKeyError';
  }
}

/**
 * The master keys from configuration. The first wraps every new data key;
 * the others only unwrap what they once wrapped, until rotation has rewrapped
 * it all under the first. Keys never leave this object except as ciphertext.
 */
export class MasterKeyring {
  private constructor(
    readonly currentId: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {}

  static of(entries: readonly MasterKeyConfig[]): MasterKeyring {
    const [current] = entries;
    if (current === undefined) throw new RangeError('A master keyring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      const bytes = Buffer.from(key.reveal(), 'base64');
      if (bytes.length !== KEY_BYTES) throw new RangeError(`Master key ${id} is not ${KEY_BYTES} bytes`);
      keys.set(id, bytes);
    }
    return new MasterKeyring(current.id, keys);
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  has(masterKeyId: string): boolean {
    return this.keys.has(masterKeyId);
  }

  wrap(customerId: string, dataKey: Buffer): WrappedKey {
    const masterKey = this.key(this.currentId);
    return {
      masterKeyId: this.currentId,
      wrapped: seal(masterKey, dataKey, aadOf(customerId, this.currentId)),
    };
  }

  /**
   * @throws UnknownMasterKeyError when the wrapping key is not configured.
   * @throws DecryptionFailedError when the wrapped key does not belong to this customer or was altered.
   */
  unwrap(customerId: string, { masterKeyId, wrapped }: WrappedKey): Buffer {
    return open(
      this.key(masterKeyId),
      wrapped,
      aadOf(customerId, masterKeyId),
      `the data key of ${customerId}`,
    );
  }

  /**
   * Seals a secret of our own (a webhook's signing secret) under the current
   * master key, bound to `purpose` (e.g. `webhook:<id>`), so that the stored
   * form is useless without MASTER_KEYS and cannot be moved to another purpose.
   */
  sealSecret(purpose: string, secret: string): SealedSecret {
    const masterKey = this.key(this.currentId);
    const sealed = seal(masterKey, Buffer.from(secret, 'utf8'), secretAad(purpose, this.currentId));
    return { masterKeyId: this.currentId, sealed: sealed.toString('base64') };
  }

  /**
   * @throws UnknownMasterKeyError when the sealing key is not configured.
   * @throws DecryptionFailedError when the secret was sealed for another purpose or altered.
   */
  openSecret(purpose: string, { masterKeyId, sealed }: SealedSecret): string {
    const opened = open(
      this.key(masterKeyId),
      Buffer.from(sealed, 'base64'),
      secretAad(purpose, masterKeyId),
      `the secret of ${purpose}`,
    );
    return opened.toString('utf8');
  }

  private key(masterKeyId: string): Buffer {
    const key = this.keys.get(masterKeyId);
    if (key === undefined) throw new UnknownMasterKeyError([masterKeyId]);
    return key;
  }
}

/** A secret as stored: AES-256-GCM under one master key, in base64 (JSON-safe). */
export type SealedSecret = { readonly masterKeyId: string; readonly sealed: string };

function secretAad(purpose: string, masterKeyId: string): Buffer {
  return Buffer.from(`crm-secret/v1\0${purpose}\0${masterKeyId}`, 'utf8');
}

function aadOf(customerId: string, masterKeyId: string): Buffer {
  return Buffer.from(`crm-data-key/v1\0${customerId}\0${masterKeyId}`, 'utf8');
}
