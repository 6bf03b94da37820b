import { MongoClient } from 'mongodb';
import { ReadStoreUnavailableError } from '../read-store.errors';
import type { CollectionSpec } from '../read-store.port';
import { readStoreContract } from '../testing';
import {
  declared,
  doc,
  newProjection,
  put,
  rejectionOf,
  remove,
  seed,
} from '../testing/contract/contract-fixtures';
import { dropDatabases, freshDatabaseName, mongodbUrlForTests } from '../testing/mongodb-test-server';
import { MongoReadStore } from './mongo-read-store';
import type { MongoEngine } from './mongo-write-profile';

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

describe('MongoReadStore indexes declared again', () => {
  it('replaces the index of a field declared carrying other fields, leaving the other indexes', async () => {
    const database = freshDatabaseName('indexes');
    const store = await MongoReadStore.open({ url, database });
    const client = await MongoClient.connect(url);
    try {
      const indexNames = async (): Promise<string[]> =>
        (await client.db(database).collection('customers').indexes())
          .flatMap((index) => index.name ?? [])
          .filter((name) => name.startsWith('ix_'))
          .sort();
      const declare = (indexes: CollectionSpec['indexes']) =>
        store.ensureCollections([{ name: 'customers', indexes }]);

      await declare(['valueClass', 'netRevenue']);
      expect(await indexNames()).toEqual(['ix_net^revenue', 'ix_value^class']);
      await declare([{ field: 'valueClass', carries: ['netRevenue'] }, 'netRevenue']);
      expect(await indexNames()).toEqual(['ix_net^revenue', 'ix_value^class+net^revenue']);
      await declare(['valueClass']);
      expect(await indexNames()).toEqual(['ix_net^revenue', 'ix_value^class']);
    } finally {
      await client.close();
      await store.close();
      await dropDatabases(url, [database]);
    }
  });
});

describe('MongoReadStore', () => {
  it('fails to open with ReadStoreUnavailableError when nothing answers, keeping credentials out of the message', async () => {
    const error = await rejectionOf(
      MongoReadStore.open({
        url: 'mongodb://reader:secret@127.0.0.1:1/',
        database: 'nowhere',
        serverSelectionTimeoutMs: 200,
      }),
    );
    expect(error).toBeInstanceOf(ReadStoreUnavailableError);
    expect((error as Error).message).not.toContain('secret');
  });

  it('refuses every call after close, and closes only once', async () => {
    const database = freshDatabaseName('closed');
    const store = await MongoReadStore.open({ url, database });
    const collection = await declared(store);
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    const calls = [
      () => store.get(collection, 'a'),
      () => store.find(collection),
      () => store.commit({ projection: 'p', position: 1, writes: [] }),
      () => store.checkpoint('p'),
    ];
    for (const call of calls) expect(await rejectionOf(call())).toBeInstanceOf(ReadStoreUnavailableError);
    await dropDatabases(url, [database]);
  });

  it('shapes its writes for the server it opened on, as buildInfo names it', async () => {
    const database = freshDatabaseName('engine');
    const store = await MongoReadStore.open({ url, database });
    const client = new MongoClient(url);
    try {
      const info = await client.db(database).command({ buildInfo: 1 });
      expect(store.engine).toBe('ferretdbVersion' in info ? 'ferretdb' : 'mongodb');
    } finally {
      await Promise.all([store.close(), client.close()]);
    }
  });
});

/** The profile the server gets, and the guarded one forced, so both write paths meet a real server. */
describe.each<[string, MongoEngine | undefined]>([
  ['as detected', undefined],
  ['with the guarded MongoDB profile forced', 'mongodb'],
])('MongoReadStore writing %s', (_, engine) => {
  let store: MongoReadStore;
  let database: string;

  beforeEach(async () => {
    database = freshDatabaseName('profile');
    store = await MongoReadStore.open({ url, database, ...(engine ? { engine } : {}) });
  });

  afterEach(async () => {
    await store.close();
    await dropDatabases(url, [database]);
  });

  it('converges when a unit is replayed after its writes but before its checkpoint', async () => {
    const collection = await declared(store);
    const projection = newProjection();
    await store.commit({ projection, position: 2, writes: [put(collection, doc('a', 2, { v: 'new' }))] });
    // A unit holding an older put of `a`, committed twice as a projection replays it after a crash.
    const unit = {
      projection: newProjection(),
      position: 3,
      writes: [put(collection, doc('a', 1, { v: 'old' })), put(collection, doc('b', 3))],
    };
    await store.commit(unit);
    await store.commit(unit);
    expect(await store.getMany(collection, ['a', 'b'])).toEqual([doc('a', 2, { v: 'new' }), doc('b', 3)]);
  });

  it('rewrites, deletes and skips stored documents by position, replayed or not', async () => {
    const collection = await declared(store);
    const ids = Array.from({ length: 60 }, (_, index) => `c-${String(index).padStart(2, '0')}`);
    await seed(
      store,
      collection,
      ids.map((id, index) => doc(id, index % 2 === 0 ? 1 : 5)),
    );
    const unit = {
      projection: newProjection(),
      position: 4,
      writes: ids.map((id, index) =>
        index % 3 === 0 ? remove(collection, id, 4) : put(collection, doc(id, 4, { v: 4 })),
      ),
    };
    await store.commit(unit);
    await store.commit(unit);
    // Stored at 1 (even index): deleted or rewritten at 4. Stored at 5 (odd): newer, kept.
    expect((await store.find(collection, { limit: 100 })).items).toEqual(
      ids.flatMap((id, index) => {
        if (index % 2 === 1) return [doc(id, 5)];
        return index % 3 === 0 ? [] : [doc(id, 4, { v: 4 })];
      }),
    );
  });
});
