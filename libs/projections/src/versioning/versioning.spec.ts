import type { StoredDocument, Write } from '@crm/read-store';
import type { Projection } from '../runner/projection';
import { ActiveVersions } from './active-versions';
import { atVersion, collectionsAt, logicalProjectionName } from './projection-version';

const projection: Projection = {
  name: 'customer-journey',
  collections: [
    { name: 'journeys', indexes: ['stage'] },
    { name: 'timeline', indexes: [] },
  ],
  async project(batch, reader) {
    const [doc] = await reader.getMany<StoredDocument>('journeys', ['c']);
    return [
      { kind: 'put', collection: 'journeys', document: { id: 'c', position: (doc?.position ?? 0) + 1 } },
    ];
  },
};

describe('versioned projections', () => {
  it('keeps version 1 as it always was', () => {
    expect(atVersion(projection, 1)).toBe(projection);
    expect(collectionsAt(projection, 1)).toEqual(['journeys', 'timeline']);
  });

  it('reads and writes the collections of version n under its own checkpoint name', async () => {
    const v2 = atVersion(projection, 2);
    const asked: string[] = [];
    const writes = await v2.project([], {
      getMany: <T extends StoredDocument>(collection: string) => {
        asked.push(collection);
        return Promise.resolve([{ id: 'c', position: 4 }] as T[]);
      },
    });
    expect(v2.name).toBe('customer-journey:v2');
    expect(v2.collections.map((c) => c.name)).toEqual(['journeys_v2', 'timeline_v2']);
    expect(asked).toEqual(['journeys_v2']);
    expect(writes).toEqual<Write[]>([
      { kind: 'put', collection: 'journeys_v2', document: { id: 'c', position: 5 } },
    ]);
    expect(logicalProjectionName(v2.name)).toBe('customer-journey');
  });

  it('resolves a collection to the active version of its projection only', () => {
    const versions = new ActiveVersions([projection]);
    expect(versions.resolve('timeline')).toBe('timeline');
    versions.set('customer-journey', 3);
    expect(versions.resolve('timeline')).toBe('timeline_v3');
    expect(versions.resolve('dead_letters')).toBe('dead_letters');
  });
});
