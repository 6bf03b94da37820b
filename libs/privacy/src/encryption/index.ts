/**
 * Encryption at rest without the HTTP and Nest parts of the library: the
 * ciphers, the key stores and the encrypting event store, for worker threads
 * and command-line tools.
 */
export * from '../crypto/aes-gcm';
export * from '../crypto/field-cipher';
export * from '../crypto/master-keyring';
export * from '../crypto/master-key-source';
export * from '../crypto/blind-index-key-source';
export * from '../key-store/key-store.port';
export * from '../key-store/sqlite-key-store';
export * from '../key-store/data-keys';
export * from './personal-data-cipher';
export * from './encrypting-event-store';
export * from '../rotate-master-key/rotate-master-key';
