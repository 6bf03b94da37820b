// Kept apart from the main index: it declares jest suites and must never load in production code.
export { readStoreContract, type ReadStoreContractFactory } from './read-store.contract';
export { dropDatabases, freshDatabaseName, mongodbUrlForTests } from './mongodb-test-server';
