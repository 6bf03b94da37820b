import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { blindIndexKeyProblem, type PrivacyConfig } from '@crm/platform/config';

/**
 * The blind index key (docs/privacy.md, "Lookup without plaintext"):
 * BLIND_INDEX_KEY, or else a development key generated once into
 * `$DATA_DIR/blind-index-key.dev` (mode 0600) with a warning, as for the
 * master key, so `npm start` needs no configuration. Changing the key
 * makes every entry unfindable until the identity index is rebuilt.
 */
export function loadBlindIndexKey(
  config: Pick<PrivacyConfig, 'blindIndexKey' | 'devBlindIndexKeyFile'>,
  warn: (message: string) => void,
): Buffer {
  if (config.blindIndexKey !== null) return Buffer.from(config.blindIndexKey.reveal(), 'base64');
  const file = config.devBlindIndexKeyFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createOnce(file, `${randomBytes(32).toString('base64')}\n`);
  }
  const encoded = readFileSync(file, 'utf8').trim();
  const problem = blindIndexKeyProblem(encoded);
  if (problem !== null) throw new Error(`${file}: ${problem}`);
  warn(
    `BLIND_INDEX_KEY is not set: using the development key in ${file}. Set BLIND_INDEX_KEY in production.`,
  );
  return Buffer.from(encoded, 'base64');
}

/** Another process starting at the same moment may have written it first; then its key is the one. */
function createOnce(file: string, content: string): void {
  try {
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
