import { InvalidNameError, InvalidWriteError, UnknownCollectionError } from '../../read-store.errors';
import type { UnitOfWork, Write } from '../../read-store.port';
import {
  declared,
  doc,
  newCollection,
  newProjection,
  put,
  rejectionOf,
  remove,
  seed,
  type StoreGetter,
} from './contract-fixtures';

export function commitContract(store: StoreGetter): void {
  describe('committing a unit of work', () => {
    it('applies every write and raises the checkpoint to the unit position', async () => {
      const [journeys, ranks] = [await declared(store()), await declared(store())];
      await seed(store(), journeys, [doc('gone', 1)]);
      const projection = newProjection();
      await store().commit({
        projection,
        position: 12,
        writes: [
          put(journeys, doc('a', 10, { stage: 'reach' })),
          put(ranks, doc('a', 11, { rank: 1 })),
          remove(journeys, 'gone', 12),
        ],
      });
      expect(await store().get(journeys, 'a')).toEqual(doc('a', 10, { stage: 'reach' }));
      expect(await store().get(ranks, 'a')).toEqual(doc('a', 11, { rank: 1 }));
      expect(await store().get(journeys, 'gone')).toBeNull();
      expect(await store().checkpoint(projection)).toBe(12);
    });

    it.each<[string, (collection: string) => Write, unknown]>([
      ['an undeclared collection', () => put(newCollection(), doc('x', 9)), UnknownCollectionError],
      ['an invalid collection name', () => put('Bad Name', doc('x', 9)), InvalidNameError],
      ['a position beyond the unit', (collection) => put(collection, doc('x', 10)), InvalidWriteError],
      [
        'an unknown kind',
        (collection) => ({ ...remove(collection, 'a', 9), kind: 'upsert' }) as unknown as Write,
        InvalidWriteError,
      ],
    ])('writes nothing and keeps the checkpoint when one write has %s', async (_, bad, errorType) => {
      const collection = await declared(store());
      const projection = newProjection();
      await store().commit({
        projection,
        position: 5,
        writes: [put(collection, doc('a', 5, { v: 'before' }))],
      });
      const unit: UnitOfWork = {
        projection,
        position: 9,
        writes: [put(collection, doc('a', 8, { v: 'after' })), put(collection, doc('b', 9)), bad(collection)],
      };
      expect(await rejectionOf(store().commit(unit))).toBeInstanceOf(errorType);
      expect(await store().getMany(collection, ['a', 'b'])).toEqual([doc('a', 5, { v: 'before' })]);
      expect(await store().checkpoint(projection)).toBe(5);
    });

    it('ignores a put at or below the stored position and applies a newer one', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      const commitPut = (position: number, v: string) =>
        store().commit({ projection, position, writes: [put(collection, doc('a', position, { v }))] });
      await commitPut(5, 'five');
      await commitPut(3, 'replayed three');
      await commitPut(5, 'replayed five');
      expect(await store().get(collection, 'a')).toEqual(doc('a', 5, { v: 'five' }));
      await commitPut(6, 'six');
      expect(await store().get(collection, 'a')).toEqual(doc('a', 6, { v: 'six' }));
    });

    it('ignores a delete at or below the stored position and applies a newer one', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      await seed(store(), collection, [doc('a', 5)]);
      await store().commit({ projection, position: 4, writes: [remove(collection, 'a', 4)] });
      await store().commit({ projection, position: 5, writes: [remove(collection, 'a', 5)] });
      expect(await store().get(collection, 'a')).toEqual(doc('a', 5));
      await store().commit({ projection, position: 6, writes: [remove(collection, 'a', 6)] });
      expect(await store().get(collection, 'a')).toBeNull();
    });

    it('treats deleting a missing document as a no-op that still raises the checkpoint', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      await store().commit({ projection, position: 3, writes: [remove(collection, 'nobody', 3)] });
      expect(await store().count(collection)).toBe(0);
      expect(await store().checkpoint(projection)).toBe(3);
    });

    it('leaves the same state when units are replayed after a crash', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      const units: UnitOfWork[] = [
        {
          projection,
          position: 2,
          writes: [put(collection, doc('a', 1, { n: 1 })), put(collection, doc('b', 2))],
        },
        {
          projection,
          position: 4,
          writes: [put(collection, doc('a', 3, { n: 2 })), remove(collection, 'b', 4)],
        },
        { projection, position: 5, writes: [put(collection, doc('c', 5))] },
      ];
      for (const unit of units) await store().commit(unit);
      const before = await store().find(collection);
      for (const unit of units.slice(1)) await store().commit(unit);
      expect(await store().find(collection)).toEqual(before);
      expect(before.items).toEqual([doc('a', 3, { n: 2 }), doc('c', 5)]);
      expect(await store().checkpoint(projection)).toBe(5);
    });

    it('applies a unit rewriting hundreds of stored documents in two collections', async () => {
      const [journeys, ranks] = [await declared(store()), await declared(store())];
      const ids = Array.from({ length: 300 }, (_, index) => `c-${String(index).padStart(3, '0')}`);
      await seed(
        store(),
        journeys,
        ids.map((id) => doc(id, 1, { v: 'old' })),
      );
      await seed(
        store(),
        ranks,
        ids.map((id) => doc(id, 1, { rank: 0 })),
      );
      const projection = newProjection();
      // Every third journey is deleted, the rest rewritten; a few puts are already stale.
      const journeyWrites = ids.map((id, index) =>
        index % 3 === 0
          ? remove(journeys, id, 2)
          : put(journeys, doc(id, index % 50 === 1 ? 1 : 2, { v: 'new' })),
      );
      await store().commit({
        projection,
        position: 2,
        writes: [...journeyWrites, ...ids.map((id, index) => put(ranks, doc(id, 2, { rank: index })))],
      });
      const journeyPage = await store().find(journeys, { limit: 1000 });
      expect(journeyPage.items).toEqual(
        ids.flatMap((id, index) => {
          if (index % 3 === 0) return [];
          return [index % 50 === 1 ? doc(id, 1, { v: 'old' }) : doc(id, 2, { v: 'new' })];
        }),
      );
      expect((await store().find(ranks, { limit: 1000 })).items).toEqual(
        ids.map((id, index) => doc(id, 2, { rank: index })),
      );
      expect(await store().checkpoint(projection)).toBe(2);
    });

    it('applies the writes of one unit in order, each guarded by the one before', async () => {
      const collection = await declared(store());
      await store().commit({
        projection: newProjection(),
        position: 5,
        writes: [
          put(collection, doc('up', 3, { v: 'older' })),
          put(collection, doc('up', 5, { v: 'newer' })),
          put(collection, doc('down', 5, { v: 'newer' })),
          put(collection, doc('down', 3, { v: 'older' })),
        ],
      });
      expect(await store().get(collection, 'up')).toEqual(doc('up', 5, { v: 'newer' }));
      expect(await store().get(collection, 'down')).toEqual(doc('down', 5, { v: 'newer' }));
    });

    it('starts a projection at checkpoint 0 and never lowers it', async () => {
      const projection = newProjection();
      expect(await store().checkpoint(projection)).toBe(0);
      const positions = [10, 4, 10, 12];
      const seen: number[] = [];
      for (const position of positions) {
        await store().commit({ projection, position, writes: [] });
        seen.push(await store().checkpoint(projection));
      }
      expect(seen).toEqual([10, 10, 10, 12]);
    });

    it('keeps the checkpoints of projections apart', async () => {
      const [journey, idic] = [newProjection('journey'), newProjection('idic')];
      await store().commit({ projection: journey, position: 7, writes: [] });
      await store().commit({ projection: idic, position: 3, writes: [] });
      expect([await store().checkpoint(journey), await store().checkpoint(idic)]).toEqual([7, 3]);
    });

    it.each<[string, Partial<UnitOfWork>, unknown]>([
      ['a projection name with spaces', { projection: 'customer journey' }, InvalidNameError],
      ['an empty projection name', { projection: '' }, InvalidNameError],
      ['a negative position', { position: -1 }, InvalidWriteError],
      ['a fractional position', { position: 2.5 }, InvalidWriteError],
      ['writes that are not a list', { writes: {} as unknown as Write[] }, InvalidWriteError],
    ])('rejects a unit with %s', async (_, override, errorType) => {
      const unit: UnitOfWork = { projection: newProjection(), position: 1, writes: [], ...override };
      expect(await rejectionOf(store().commit(unit))).toBeInstanceOf(errorType);
    });

    it('rejects reading the checkpoint of an invalid projection name', async () => {
      await expect(store().checkpoint('no spaces allowed')).rejects.toBeInstanceOf(InvalidNameError);
    });
  });
}
