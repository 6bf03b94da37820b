import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from './sqlite-read-store';

const SECRET = 'only-in-the-old-version-7f3a';

function onDisk(dir: string, needle: string): string[] {
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(Buffer.from(needle)));
}

describe('SqliteReadStore.purgeDeleted', () => {
  let dir: string;
  let store: SqliteReadStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-store-purge-'));
    store = await SqliteReadStore.open({ file: join(dir, 'read-models.sqlite'), synchronous: 'normal' });
    await store.ensureCollections([{ name: 'people', indexes: [] }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (position: number, doc: Record<string, unknown>) =>
    store.commit({
      projection: 'people-projection',
      position,
      writes: [{ kind: 'put', collection: 'people', document: { id: 'p-1', position, ...doc } }],
    });

  it('leaves no byte of a replaced document in any file of the store', async () => {
    await put(1, { email: SECRET, padding: 'x'.repeat(5000) });
    await put(2, { email: null, padding: 'y'.repeat(5000) });
    expect(onDisk(dir, SECRET)).not.toEqual([]);

    await store.purgeDeleted();

    expect(onDisk(dir, SECRET)).toEqual([]);
    expect(await store.get('people', 'p-1')).toMatchObject({ email: null, position: 2 });
  });

  it('leaves no byte of a deleted document either', async () => {
    await put(1, { email: SECRET });
    await store.commit({
      projection: 'people-projection',
      position: 2,
      writes: [{ kind: 'delete', collection: 'people', id: 'p-1', position: 2 }],
    });
    await store.purgeDeleted();
    expect(onDisk(dir, SECRET)).toEqual([]);
  });
});
