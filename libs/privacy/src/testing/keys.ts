import { randomBytes } from 'node:crypto';
import { type MasterKeyConfig, Secret } from '@crm/platform';

/** A fresh master key entry for tests. */
export function masterKey(id: string): MasterKeyConfig {
  return { id, key: new Secret(randomBytes(32).toString('base64')) };
}
