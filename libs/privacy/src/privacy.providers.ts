import { Logger, type Provider } from '@nestjs/common';
import { EVENT_STORE, type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import { BLIND_INDEX_KEY } from '@crm/projections';
import { loadBlindIndexKey } from './crypto/blind-index-key-source';
import { loadMasterKeyring } from './crypto/master-key-source';
import { MasterKeyring } from './crypto/master-keyring';
import { EncryptingEventStore } from './encryption/encrypting-event-store';
import { PersonalDataCipher } from './encryption/personal-data-cipher';
import { DataKeys } from './key-store/data-keys';
import { KEY_STORE, type KeyStore } from './key-store/key-store.port';
import { SqliteKeyStore } from './key-store/sqlite-key-store';

/**
 * The key store, the master keyring, the data keys, the blind index key and EVENT_STORE as an encrypting decorator
 * over RAW_EVENT_STORE, for the application's core module (which provides
 * RAW_EVENT_STORE, APP_CONFIG and CLOCK).
 */
export function privacyProviders(): Provider[] {
  return [
    {
      provide: KEY_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => SqliteKeyStore.open({ file: config.privacy.keyStore.file }),
    },
    {
      provide: MasterKeyring,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Privacy');
        return loadMasterKeyring(config.privacy, (message) => logger.warn(message));
      },
    },
    {
      provide: DataKeys,
      inject: [KEY_STORE, MasterKeyring, CLOCK],
      useFactory: (store: KeyStore, keyring: MasterKeyring, clock: Clock) =>
        new DataKeys(store, keyring, { now: () => clock.now() }),
    },
    {
      provide: BLIND_INDEX_KEY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Privacy');
        return loadBlindIndexKey(config.privacy, (message) => logger.warn(message));
      },
    },
    {
      provide: PersonalDataCipher,
      inject: [DataKeys],
      useFactory: (keys: DataKeys) => new PersonalDataCipher(keys),
    },
    {
      provide: EVENT_STORE,
      inject: [RAW_EVENT_STORE, PersonalDataCipher],
      useFactory: (raw: EventStore, cipher: PersonalDataCipher) => new EncryptingEventStore(raw, cipher),
    },
  ];
}

/** What the core module exports of them, besides EVENT_STORE. */
export const PRIVACY_EXPORTS = [KEY_STORE, MasterKeyring, DataKeys, PersonalDataCipher, BLIND_INDEX_KEY];
