import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './role-names';

/**
 * An API key as the client holds it: `crm_<id>_<secret>`. The id is visible
 * (it names the key in lists, logs and event metadata); the secret is 256
 * random bits, so a plain SHA-256 of it is enough to store (no salt or slow
 * hash needed: there is no dictionary to guess from).
 */
export const API_KEY_FORMAT = /^crm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** What the key store holds about a key: never the secret itself. */
export type ApiKeyRecord = {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Hex SHA-256 of the secret part. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
};

/** A key just made: the full key is shown once and then only its hash remains. */
export type IssuedApiKey = { readonly key: string; readonly record: ApiKeyRecord };

export function generateApiKey(name: string, roles: readonly Role[], now: Date): IssuedApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    key: `crm_${id}_${secret}`,
    record: {
      id,
      name,
      roles: [...new Set(roles)],
      secretHash: hashSecret(secret),
      createdAt: now.toISOString(),
      revokedAt: null,
    },
  };
}

export type ParsedApiKey = { readonly id: string; readonly secret: string };

/** The id and secret of a well-formed key, or null. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = API_KEY_FORMAT.exec(key);
  return match?.[1] !== undefined && match[2] !== undefined ? { id: match[1], secret: match[2] } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares in constant time, so response timing says nothing about how much of a secret was right. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
