import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM: 32-byte keys, a fresh random 96-bit IV per message, a 128-bit tag. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** The ciphertext does not open with this key and associated data: wrong key, wrong context, or tampered. */
export class DecryptionFailedError extends Error {
  constructor(what: string) {
    super(`Cannot decrypt ${what}: wrong key or context, or the ciphertext was altered`);
    this.name = 'DecryptionFailedError';
  }
}

/** Encrypts and authenticates `plaintext`, binding `aad`; returns iv ‖ ciphertext ‖ tag. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** The inverse of `seal`; throws DecryptionFailedError unless key, aad and bytes are exactly right. */
export function open(key: Buffer, sealed: Buffer, aad: Buffer, what = 'a value'): Buffer {
  assertKey(key);
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionFailedError(what);
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionFailedError(what);
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES)
    throw new RangeError(`An AES-256 key is ${KEY_BYTES} bytes, got ${key.length}`);
}
