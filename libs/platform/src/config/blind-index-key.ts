const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
export const BLIND_INDEX_KEY_BYTES = 32;

/**
 * Checks a `BLIND_INDEX_KEY` value (32 bytes in base64) and returns what is
 * wrong with it, or null. The message never repeats the value.
 */
export function blindIndexKeyProblem(encoded: string): string | null {
  if (BASE64.test(encoded) && Buffer.from(encoded, 'base64').length === BLIND_INDEX_KEY_BYTES) return null;
  return `BLIND_INDEX_KEY must be ${BLIND_INDEX_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`;
}
