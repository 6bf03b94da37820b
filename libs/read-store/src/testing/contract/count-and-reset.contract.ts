import { declared, doc, newProjection, put, type StoreGetter } from './contract-fixtures';

export function countAndResetContract(store: StoreGetter): void {
  describe('counting', () => {
    it('counts every document, or those a filter matches, and 0 in an empty collection', async () => {
      const [full, empty] = [await declared(store(), ['tier']), await declared(store())];
      await store().commit({
        projection: newProjection(),
        position: 3,
        writes: [
          put(full, doc('a', 1, { tier: 'gold' })),
          put(full, doc('b', 2, { tier: 'silver' })),
          put(full, doc('c', 3, { tier: 'gold' })),
        ],
      });
      expect(await store().count(full)).toBe(3);
      expect(await store().count(full, { tier: 'gold' })).toBe(2);
      expect(await store().count(full, { tier: { $in: [] } })).toBe(0);
      expect(await store().count(empty)).toBe(0);
    });
  });

  describe('resetting a projection', () => {
    it('clears the given collections and the checkpoint, and nothing else', async () => {
      const [journeys, ranks, kpis] = [
        await declared(store()),
        await declared(store()),
        await declared(store()),
      ];
      const [reset, other] = [newProjection('reset'), newProjection('other')];
      await store().commit({
        projection: reset,
        position: 8,
        writes: [put(journeys, doc('a', 7)), put(ranks, doc('a', 8))],
      });
      await store().commit({ projection: other, position: 9, writes: [put(kpis, doc('2024-05', 9))] });
      await store().resetProjection(reset, [journeys, ranks]);
      expect([await store().count(journeys), await store().count(ranks)]).toEqual([0, 0]);
      expect(await store().checkpoint(reset)).toBe(0);
      expect(await store().get(kpis, '2024-05')).toEqual(doc('2024-05', 9));
      expect(await store().checkpoint(other)).toBe(9);
    });

    it('lets a rebuild write the same positions again', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      const build = (stage: string) => ({
        projection,
        position: 5,
        writes: [put(collection, doc('a', 5, { stage }))],
      });
      await store().commit(build('reach'));
      await store().resetProjection(projection, [collection]);
      await store().commit(build('conversion'));
      expect(await store().get(collection, 'a')).toEqual(doc('a', 5, { stage: 'conversion' }));
      expect(await store().checkpoint(projection)).toBe(5);
    });

    it('resets a projection that never committed', async () => {
      const collection = await declared(store());
      const projection = newProjection();
      await expect(store().resetProjection(projection, [collection])).resolves.toBeUndefined();
      expect(await store().checkpoint(projection)).toBe(0);
    });
  });
}
