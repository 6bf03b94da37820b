/**
 * API keys alone (the key format, issuing and checking keys, the SQLite key
 * store), without the HTTP and Nest parts of the platform: what `crm keys`
 * loads, so that it starts at once.
 */
export * from '../auth/role-names';
export * from '../auth/api-key';
export * from '../auth/api-key-store.port';
export * from '../auth/api-keys';
export * from '../auth/sqlite-api-key-store';
