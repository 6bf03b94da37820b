import { createHmac } from 'node:crypto';

/** DI token: the HMAC key of the blind index (BLIND_INDEX_KEY), as bytes. */
export const BLIND_INDEX_KEY = Symbol('BLIND_INDEX_KEY');

/** What a blind index entry is of: the field, so equal values of two fields never share an entry. */
export type BlindIndexField = 'email' | 'phone' | 'name';

/** Bytes of the HMAC kept: 128 bits, collisions negligible (and every hit is checked against the profile). */
const KEPT_BYTES = 16;

/**
 * A keyed blind index (docs/privacy.md, "Lookup without plaintext"): an
 * entry is HMAC-SHA256(key, field ‖ 0 ‖ normalised value), so equal values
 * give equal entries while the value cannot be read back, nor guessed by
 * hashing a list of emails, without the key.
 */
export class BlindIndex {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('A blind index key is 32 bytes');
    this.#key = Buffer.from(key);
  }

  entry(field: BlindIndexField, normalised: string): string {
    return createHmac('sha256', this.#key)
      .update(`${field}\u0000${normalised}`, 'utf8')
      .digest()
      .subarray(0, KEPT_BYTES)
      .toString('base64url');
  }
}

/** Name prefixes indexed: 1 to this many characters of the normalised name (see namePrefixes). */
export const NAME_PREFIX_MAX = 6;

/**
 * A name as searched: Unicode-compatibility folded (NFKC), lower-cased,
 * whitespace runs made one space, trimmed; null when blank. Accents stay
 * (`é` is not `e`): folding them would merge names that differ.
 */
export function nameSearchKey(raw: string): string | null {
  const folded = raw.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return folded.length > 0 ? folded : null;
}

/** The first 1 … NAME_PREFIX_MAX characters (code points) of a normalised name, shortest first. */
export function namePrefixes(normalised: string): string[] {
  const chars = Array.from(normalised);
  const prefixes: string[] = [];
  for (let length = 1; length <= Math.min(NAME_PREFIX_MAX, chars.length); length++)
    prefixes.push(chars.slice(0, length).join(''));
  return prefixes;
}
