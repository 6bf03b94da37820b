import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signatures in the Standard Webhooks format (standardwebhooks.com): a
 * secret `whsec_<base64 key>`, and `webhook-signature: v1,<base64 HMAC-SHA256
 * of "<webhook-id>.<webhook-timestamp>.<body>">`. The receiver's libraries
 * (standardwebhooks, svix) verify it as it is.
 */
export const SECRET_PREFIX = 'whsec_';
const KEY_BYTES = 32;

/** A new secret: 32 random bytes. */
export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(KEY_BYTES).toString('base64');
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX))
    throw new RangeError(`A webhook secret starts with ${SECRET_PREFIX}`);
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** The `webhook-signature` header of one request. `timestamp` in whole seconds since the epoch. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * Whether a request carries a valid signature: any of the space-separated
 * `v1,` signatures matches (a sender may send several while a secret is
 * rotated). Receivers should also refuse timestamps far from their clock.
 */
export function verify(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  if (!/^\d+$/.test(timestamp)) return false;
  const expected = Buffer.from(sign(secret, id, Number(timestamp), body));
  return header
    .split(' ')
    .map((signature) => Buffer.from(signature))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
