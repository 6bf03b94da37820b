import { readStoreContract } from '../testing';
import { dropDatabases, freshDatabaseName, mongodbUrlForTests } from '../testing/mongodb-test-server';
import { MongoReadStore } from './mongo-read-store';

const url = mongodbUrlForTests();

// A real server over the network, and FerretDB commits document by document:
// the int project's testTimeout is not applied by jest 29 (not a project option).
jest.setTimeout(120_000);

/** Each test gets a database of its own, dropped when it ends. */
readStoreContract(`MongoReadStore at ${url}`, async () => {
  const database = freshDatabaseName('contract');
  const store = await MongoReadStore.open({ url, database });
  return {
    store,
    dispose: async () => {
      await store.close();
      await dropDatabases(url, [database]);
    },
  };
});
