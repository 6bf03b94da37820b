/**
 * The MongoDB adapter, an entry point of its own so that only a process that
 * chooses MongoDB loads the driver.
 */
export { MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store';
