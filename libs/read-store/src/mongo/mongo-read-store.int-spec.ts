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

describe('MongoReadStore on a database other processes already set up', () => {
  const specs = [
    { name: 'journeys', indexes: ['stage', 'registeredAt'] },
    { name: 'idic', indexes: ['netRevenue', 'orders'] },
  ];

  it('ensures existing collections and indexes again, from new clients and concurrently', async () => {
    const database = freshDatabaseName('restart');
    const first = await MongoReadStore.open({ url, database });
    const stores: MongoReadStore[] = [first];
    try {
      await first.ensureCollections(specs);
      await first.commit({
        projection: 'p',
        position: 1,
        writes: [
          { kind: 'put', collection: 'journeys', document: { id: 'c-1', position: 1, stage: 'reach' } },
        ],
      });
      const again = await Promise.all([1, 2, 3].map(() => MongoReadStore.open({ url, database })));
      stores.push(...again);

      await Promise.all(again.map((store) => store.ensureCollections(specs)));

      for (const store of again) {
        expect(await store.get('journeys', 'c-1')).toEqual({ id: 'c-1', position: 1, stage: 'reach' });
        expect(await store.find('journeys', { filter: { stage: 'reach' } })).toMatchObject({
          items: [{ id: 'c-1' }],
        });
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropDatabases(url, [database]);
    }
  });
});
