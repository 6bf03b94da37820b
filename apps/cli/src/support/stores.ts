import { existsSync } from 'node:fs';
import { type EventStore, SqliteEventStore } from '@crm/event-store';
import { type AppConfig, ConfigError, loadConfig } from '@crm/platform/config';
import {
  DataKeys,
  EncryptingEventStore,
  loadMasterKeyring,
  PersonalDataCipher,
  SqliteKeyStore,
} from '@crm/privacy/encryption';
import { SqliteReadStore, type ThreadWriteLock } from '@crm/read-store';
import type { CliIo } from '../cli-command';

/** The validated config from the command's environment, or null after printing why not. */
export function configOf(io: CliIo): AppConfig | null {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return null;
  }
}

/**
 * The embedded event store of DATA_DIR, as the API sees it: personal fields
 * encrypted on append with the customer's data key and decrypted on read
 * (`[erased]` once the key is shredded), so an import never writes plaintext
 * and an export never leaks an erased customer. `mustExist` refuses to create
 * an empty store. Closing it closes the key store too.
 */
export async function openEventStore(
  config: AppConfig,
  io: CliIo,
  mustExist: boolean,
): Promise<EventStore | null> {
  const store = config.eventStore;
  if (store.kind !== 'sqlite') {
    io.stderr.write('The CLI works on the embedded event store of DATA_DIR; unset EVENTSTORE_URL\n');
    return null;
  }
  if (mustExist && !existsSync(store.file)) {
    io.stderr.write(`No event store at ${store.file} (check DATA_DIR)\n`);
    return null;
  }
  const keyring = loadMasterKeyring(config.privacy, (message) => io.stderr.write(`${message}\n`));
  const keyStore = await SqliteKeyStore.open({ file: config.privacy.keyStore.file });
  const raw = await SqliteEventStore.open({ file: store.file });
  const encrypting = new EncryptingEventStore(raw, new PersonalDataCipher(new DataKeys(keyStore, keyring)));
  const close = encrypting.close.bind(encrypting);
  encrypting.close = async () => {
    await close();
    await keyStore.close();
  };
  return encrypting;
}

/**
 * The read store of DATA_DIR, with the API's durability setting (read models
 * are rebuildable). `writeLock`: for a thread of a parallel rebuild.
 */
export function openReadStore(
  config: AppConfig,
  io: CliIo,
  writeLock?: ThreadWriteLock,
): Promise<SqliteReadStore> | null {
  if (config.readStore.kind !== 'sqlite') {
    io.stderr.write('The CLI rebuilds the embedded read store of DATA_DIR; unset MONGODB_URL\n');
    return null;
  }
  return SqliteReadStore.open({ file: config.readStore.file, synchronous: 'normal', writeLock });
}
