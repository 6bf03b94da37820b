import type { AppConfig } from '@crm/platform';
import { loadMasterKeyring } from '../crypto/master-key-source';
import { DataKeys, type RotationResult } from '../key-store/data-keys';
import { SqliteKeyStore } from '../key-store/sqlite-key-store';

/**
 * Master key rotation outside the API (a CLI command, a cron job): rewraps
 * every data key of the embedded key store under the first key of
 * MASTER_KEYS. Events are not touched. Safe to run while the API runs and to
 * repeat; once it reports, the older master keys can be removed.
 */
export async function rotateMasterKey(
  config: AppConfig,
  warn: (message: string) => void,
): Promise<RotationResult> {
  const store = await SqliteKeyStore.open({ file: config.privacy.keyStore.file });
  try {
    return await new DataKeys(store, loadMasterKeyring(config.privacy, warn), { cacheSize: 0 }).rotate();
  } finally {
    await store.close();
  }
}
