import { SqliteEventStore } from '@crm/event-store';
import type { WorkerStores } from '@crm/projections';
import { type AppConfig, Secret } from '@crm/platform/config';
import {
  DataKeys,
  EncryptingEventStore,
  loadMasterKeyring,
  PersonalDataCipher,
  SqliteKeyStore,
} from '@crm/privacy/encryption';
import { SqliteReadStore } from '@crm/read-store';

/** What the projection worker needs to open its own connections (plain data: it is structured-cloned). */
export type WorkerStoreFiles = {
  readonly eventsFile: string;
  readonly readModelsFile: string;
  readonly keyStoreFile: string;
  /** MASTER_KEYS (revealed: the thread is this process), or null for the development key file. */
  readonly masterKeys: readonly { readonly id: string; readonly key: string }[] | null;
  readonly devMasterKeyFile: string;
};

/**
 * A caught-up worker checks the log for the main thread's appends this
 * often (SQLite's `data_version`, no page read): the wait between an
 * append and its projection, at most.
 */
const FOLLOW_POLL_MS = 2;

export function workerStoreFiles(config: AppConfig): WorkerStoreFiles | null {
  const { eventStore, readStore, privacy } = config;
  if (eventStore.kind !== 'sqlite' || readStore.kind !== 'sqlite') return null;
  return {
    eventsFile: eventStore.file,
    readModelsFile: readStore.file,
    keyStoreFile: privacy.keyStore.file,
    masterKeys: privacy.masterKeys && privacy.masterKeys.map(({ id, key }) => ({ id, key: key.reveal() })),
    devMasterKeyFile: privacy.devMasterKeyFile,
  };
}

/**
 * The worker's stores, as the API opens them: the log decrypted with the
 * customers' data keys (`[erased]` once shredded) and the read models with
 * the API's durability setting (rebuildable: no fsync per unit).
 */
export async function openWorkerStores(data: unknown): Promise<WorkerStores> {
  const files = data as WorkerStoreFiles;
  const keyring = loadMasterKeyring(
    {
      masterKeys: files.masterKeys && files.masterKeys.map(({ id, key }) => ({ id, key: new Secret(key) })),
      devMasterKeyFile: files.devMasterKeyFile,
    },
    // The main thread has said it already, at boot.
    () => undefined,
  );
  const keyStore = await SqliteKeyStore.open({ file: files.keyStoreFile });
  const raw = await SqliteEventStore.open({ file: files.eventsFile, pollIntervalMs: FOLLOW_POLL_MS });
  const events = new EncryptingEventStore(
    raw,
    // Erasure shreds a key through the main thread's connection: to this one that is another
    // connection's commit (data_version), so its cached keys are asked for again before the next use.
    new PersonalDataCipher(new DataKeys(keyStore, keyring)),
  );
  const close = events.close.bind(events);
  events.close = async () => {
    await close();
    await keyStore.close();
  };
  const readStore = await SqliteReadStore.open({ file: files.readModelsFile, synchronous: 'normal' });
  return { events, readStore };
}
