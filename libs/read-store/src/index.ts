export * from './read-store.port';
export * from './read-store.errors';
export { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite/sqlite-read-store';
export { ThreadWriteLock } from './sqlite/thread-write-lock';
export type { SqliteSynchronous } from './sqlite/sqlite-read-store.schema';
