import { Secret } from './secret';

/** One master key: it wraps (encrypts) the per-customer data keys. */
export type MasterKeyConfig = {
  /** Short and stable; stored beside every data key it wraps. */
  readonly id: string;
  /** 32 bytes, base64. */
  readonly key: Secret;
};

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KEY_BYTES = 32;

/**
 * Parses `MASTER_KEYS`: `id:base64key` entries separated by commas, the first
 * one current (it wraps new data keys and rotation rewraps everything under
 * it), the others kept only to unwrap what they wrapped. Problems name the
 * entry by its id or place, never by its key.
 */
export function parseMasterKeys(raw: string): { keys: MasterKeyConfig[]; problems: string[] } {
  const keys: MasterKeyConfig[] = [];
  const problems: string[] = [];
  raw.split(',').forEach((entry, index) => {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (separator < 0 || !KEY_ID.test(id)) {
      problems.push(
        `MASTER_KEYS entry ${index + 1} must look like id:base64key (id: letters, digits, _ . -)`,
      );
      return;
    }
    if (!BASE64.test(encoded) || Buffer.from(encoded, 'base64').length !== KEY_BYTES) {
      problems.push(`MASTER_KEYS key "${id}" must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
      return;
    }
    if (keys.some((key) => key.id === id)) {
      problems.push(`MASTER_KEYS names key "${id}" twice`);
      return;
    }
    keys.push({ id, key: new Secret(encoded) });
  });
  return { keys, problems };
}
