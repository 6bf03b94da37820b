import { Slicer } from '@crm/platform/slicing';
import { MAX_LIMIT, SqliteReadStore } from '@crm/read-store';
import { readAll } from './read-all';

/** A collection of two and a half pages in an in-memory read store. */
describe('readAll', () => {
  const count = Math.round(MAX_LIMIT * 2.5);
  const ids = Array.from({ length: count }, (_, i) => `doc-${String(i).padStart(5, '0')}`);
  let store: SqliteReadStore;

  beforeAll(async () => {
    store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections([{ name: 'docs', indexes: [] }]);
    await store.commit({
      projection: 'test',
      position: 1,
      writes: ids.map((id) => ({ kind: 'put', collection: 'docs', document: { id, position: 1 } })),
    });
  });
  afterAll(() => store.close());

  it('reads every document, in id order, across pages', async () => {
    const documents = await readAll(store, 'docs');

    expect(documents.map((doc) => doc.id)).toEqual(ids);
  });

  it('lets what waits on the event loop run between pages', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));

    const documents = await readAll(store, 'docs', new Slicer({ sliceMs: 0 }));
    order.push('read done');

    expect(documents).toHaveLength(count);
    expect(order).toEqual(['next turn', 'read done']);
  });
});
