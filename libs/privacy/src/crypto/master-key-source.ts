import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseMasterKeys, type PrivacyConfig } from '@crm/platform/config';
import { newKey } from './aes-gcm';
import { MasterKeyring } from './master-keyring';

/**
 * The configured master keys, or for development a key generated once into
 * a file beside the data (so `npm start` needs no setup). That file sits
 * next to the key store, so it protects nothing against someone holding the
 * data directory; erasure still works, since it deletes the data key itself.
 */
export function loadMasterKeyring(
  config: Pick<PrivacyConfig, 'masterKeys' | 'devMasterKeyFile'>,
  warn: (message: string) => void,
): MasterKeyring {
  if (config.masterKeys !== null) return MasterKeyring.of(config.masterKeys);
  const file = config.devMasterKeyFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createOnce(file, `dev:${newKey().toString('base64')}\n`);
  }
  const parsed = parseMasterKeys(readFileSync(file, 'utf8').trim());
  if (parsed.problems.length > 0) throw new Error(`${file}: ${parsed.problems.join('; ')}`);
  warn(`MASTER_KEYS is not set: using the development master key in ${file}. Set MASTER_KEYS in production.`);
  return MasterKeyring.of(parsed.keys);
}

/** Another process starting at the same moment may have written it first; then its key is the one. */
function createOnce(file: string, content: string): void {
  try {
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
