/**
 * The MongoDB adapter, an entry point of its own so that code importing
 * `@crm/read-store` (the CLI, a rebuild's worker threads) does not load the
 * driver. The API imports it to choose its engine at start.
 */
export { MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store';
export type { MongoEngine } from './mongo-write-profile';
