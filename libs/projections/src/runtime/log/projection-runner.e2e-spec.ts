import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import { type ReadStore, SqliteReadStore, type UnitOfWork } from '@crm/read-store';
import type { Projection } from '../../runner/projection';
import { loadFixture } from '../../testing/crm-fixture';
import { digestOf } from '../../testing/read-model-digest';
import { CUSTOMER_PROJECTIONS } from '../../runner/customer-projections';
import { shareOf } from './customer-streams';
import { completeRebuildByCustomer, ProjectionRunner } from './projection-runner';

const COLLECTIONS = CUSTOMER_PROJECTIONS.flatMap((projection) => projection.collections.map((c) => c.name));

/** A deterministic PRNG (mulberry32), so a failing crash schedule can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Crash extends Error {}

/** A read store whose commits "crash" at random: before writing, or after writing but before the runner hears of it. */
function crashing(store: ReadStore, next: () => number): ReadStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'commit') return Reflect.get(target, property, receiver) as unknown;
      return async (unit: UnitOfWork) => {
        const roll = next();
        if (roll < 0.15) throw new Crash('crash before commit');
        await target.commit(unit);
        if (roll < 0.3) throw new Crash('crash after commit');
      };
    },
  });
}

describe('ProjectionRunner over the hand-checked fixture', () => {
  let dir: string;
  let events: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-runner-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    await loadFixture(events);
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cleanRebuild(name: string): Promise<{ store: SqliteReadStore; digest: string }> {
    const store = await SqliteReadStore.open({ file: join(dir, `${name}.sqlite`) });
    for (const projection of CUSTOMER_PROJECTIONS)
      await new ProjectionRunner(events, store, projection).catchUp();
    return { store, digest: await digestOf(store, COLLECTIONS) };
  }

  it('reaches the head of the log and stores the checkpoint with the documents', async () => {
    const { store } = await cleanRebuild('checkpoint');
    const head = await events.headPosition();
    for (const projection of CUSTOMER_PROJECTIONS) expect(await store.checkpoint(projection.name)).toBe(head);
    expect(await store.count('journeys')).toBe(33);
    await store.close();
  });

  /** The same projections, made to rebuild in log order rather than customer by customer. */
  const IN_LOG_ORDER = CUSTOMER_PROJECTIONS.map((projection) => ({ ...projection, perCustomer: false }));

  it('rebuilds customer by customer into exactly the documents of a rebuild in log order', async () => {
    const byCustomer = await cleanRebuild('by-customer');
    const inLogOrder = await SqliteReadStore.open({ file: join(dir, 'log-order.sqlite') });
    await new ProjectionRunner(events, inLogOrder, IN_LOG_ORDER, { batchSize: 11 }).catchUp();

    expect(await digestOf(inLogOrder, COLLECTIONS)).toBe(byCustomer.digest);
    for (const projection of CUSTOMER_PROJECTIONS)
      expect(await inLogOrder.checkpoint(projection.name)).toBe(
        await byCustomer.store.checkpoint(projection.name),
      );
    await Promise.all([inLogOrder.close(), byCustomer.store.close()]);
  });

  /** Rebuilds into `target` through a store that crashes at random, a fresh runner after each crash; returns the crashes. */
  async function rebuildThroughCrashes(
    target: ReadStore,
    projections: readonly Projection[],
    next: () => number,
  ): Promise<number> {
    const flaky = crashing(target, next);
    for (let crashes = 0; ; crashes++) {
      // Nothing survives a crash but what the read store committed; 7 events a unit, so one customer a step.
      const runner = new ProjectionRunner(events, flaky, projections, { batchSize: 7 });
      try {
        await runner.catchUp();
        return crashes;
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
    }
  }

  it.each([
    ['customer by customer', CUSTOMER_PROJECTIONS, 'crashy-by-customer'],
    ['in log order', IN_LOG_ORDER, 'crashy-log-order'],
  ])(
    'converges to a clean rebuild after being killed at random points, at least 20 times (%s)',
    async (_path, projections, file) => {
      const clean = await cleanRebuild(`clean-${file}`);
      const next = random(20261122);
      // Rebuilds into fresh stores until 20 crashes have happened; every one must converge.
      let crashes = 0;
      for (let round = 1; crashes < 20; round++) {
        const target = await SqliteReadStore.open({ file: join(dir, `${file}-${round}.sqlite`) });
        crashes += await rebuildThroughCrashes(target, projections, next);
        expect(await digestOf(target, COLLECTIONS)).toBe(clean.digest);
        for (const projection of CUSTOMER_PROJECTIONS)
          expect(await target.checkpoint(projection.name)).toBe(await events.headPosition());
        await target.close();
      }
      expect(crashes).toBeGreaterThanOrEqual(20);
      await clean.store.close();
    },
  );

  describe('in shares, as the threads of a parallel rebuild build it', () => {
    const shares = (count: number, head: number) =>
      Array.from({ length: count }, (_, index) => ({ index, count, head }));

    it('builds only its share of the customers and leaves the checkpoints to its caller', async () => {
      const store = await SqliteReadStore.open({ file: ':memory:' });
      const head = await events.headPosition();
      const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, {
        batchSize: 20,
        share: { index: 1, count: 2, head },
      });
      await runner.catchUp();

      const ids = (await store.find('journeys', { limit: 100 })).items.map((doc) => doc.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThan(33);
      expect(ids.every((id) => shareOf(id, 2) === 1)).toBe(true);
      for (const projection of CUSTOMER_PROJECTIONS) {
        expect(await store.checkpoint(projection.name)).toBe(0);
        const built = await store.find(projection.collections[0]!.name, { limit: 100 });
        expect(built.items.every((doc) => shareOf(doc.id, 2) === 1)).toBe(true);
      }
      // Every customer has a journey, IDIC and KPI facts document (the fixture schedules no follow-up).
      for (const collection of ['journeys', 'idic', 'kpi_facts'])
        expect(await store.count(collection)).toBe(ids.length);
      await store.close();
    });

    it('side by side, then completed, give exactly the documents of a clean rebuild', async () => {
      const clean = await cleanRebuild('clean-for-shares');
      const store = await SqliteReadStore.open({ file: join(dir, 'shares.sqlite') });
      const head = await events.headPosition();
      await Promise.all(
        shares(3, head).map((share) =>
          new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, { batchSize: 9, share }).catchUp(),
        ),
      );
      await completeRebuildByCustomer(store, CUSTOMER_PROJECTIONS, head);
      const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS);
      await runner.catchUp();

      expect(runner.status().map((status) => status.eventsApplied)).toEqual(
        CUSTOMER_PROJECTIONS.map(() => 0),
      );
      expect(await digestOf(store, COLLECTIONS)).toBe(clean.digest);
      for (const projection of CUSTOMER_PROJECTIONS)
        expect(await store.checkpoint(projection.name)).toBe(head);
      await Promise.all([store.close(), clean.store.close()]);
    });

    it('stopped after one share, a runner on its own finishes the rebuild to the same documents', async () => {
      const clean = await cleanRebuild('clean-for-half');
      const store = await SqliteReadStore.open({ file: join(dir, 'half.sqlite') });
      const [first] = shares(2, await events.headPosition());
      await new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, { share: first }).catchUp();
      const built = await store.count('journeys');

      // What an API starting on this read store does: checkpoint 0, so it walks every customer itself.
      const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, { batchSize: 13 });
      await runner.catchUp();

      expect(built).toBeGreaterThan(0);
      expect(await store.count('journeys')).toBe(33);
      expect(await digestOf(store, COLLECTIONS)).toBe(clean.digest);
      await Promise.all([store.close(), clean.store.close()]);
    });

    it.each([
      [{ index: 2, count: 2, head: 10 }],
      [{ index: -1, count: 2, head: 10 }],
      [{ index: 0, count: 0, head: 10 }],
      [{ index: 0, count: 2, head: 1.5 }],
    ])('refuses a share that names no part of the customers: %j', async (share) => {
      const store = await SqliteReadStore.open({ file: ':memory:' });
      expect(() => new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, { share })).toThrow(
        /A rebuild share needs 0 <= index < count/,
      );
      await store.close();
    });
  });

  it('changes nothing when the whole log is applied a second time', async () => {
    const once = await cleanRebuild('twice');
    const before = once.digest;
    // Forget the checkpoints but keep the documents: every event is redelivered.
    const replay = new Proxy(once.store, {
      get(target, property, receiver) {
        if (property === 'checkpoint') return () => Promise.resolve(0);
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    for (const projection of CUSTOMER_PROJECTIONS)
      await new ProjectionRunner(events, replay, projection).catchUp();
    expect(await digestOf(once.store, COLLECTIONS)).toBe(before);
    await once.store.close();
  });

  it('feeds a projection reset behind the others until it catches up, from one read of the log', async () => {
    const clean = await cleanRebuild('clean-for-reset');
    const store = await SqliteReadStore.open({ file: join(dir, 'reset.sqlite') });
    await new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS).catchUp();
    const [journey] = CUSTOMER_PROJECTIONS;
    await store.resetProjection(
      journey!.name,
      journey!.collections.map((c) => c.name),
    );
    expect(await store.count('journeys')).toBe(0);

    const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, { batchSize: 50 });
    await runner.catchUp();

    const head = await events.headPosition();
    expect(runner.status().map((s) => s.checkpoint)).toEqual(CUSTOMER_PROJECTIONS.map(() => head));
    expect(runner.status().map((s) => s.eventsApplied > 0)).toEqual(
      CUSTOMER_PROJECTIONS.map((projection) => projection === journey),
    );
    expect(await digestOf(store, COLLECTIONS)).toBe(clean.digest);
    await Promise.all([store.close(), clean.store.close()]);
  });

  it('reports each event once, with its log commit time, when every projection has applied it', async () => {
    const log = await SqliteEventStore.open({ file: ':memory:' });
    const store = await SqliteReadStore.open({ file: ':memory:' });
    const reported: number[] = [];
    const runner = new ProjectionRunner(log, store, CUSTOMER_PROJECTIONS, {
      batchSize: 50,
      onVisible: (committedAtMs) => reported.push(...committedAtMs),
    });
    await runner.prepare();
    await loadFixture(log);
    const [journey] = CUSTOMER_PROJECTIONS;
    const drain = async (): Promise<void> => {
      while ((await runner.step()) > 0);
    };

    runner.pause(journey!.name);
    await drain();
    // One projection paused holds the position back: nothing is visible to a read yet.
    expect(reported).toEqual([]);

    runner.resume(journey!.name);
    await drain();

    const recorded = await log.readAll({ limit: 10_000 });
    expect(recorded.length).toBeGreaterThan(100);
    expect(reported).toEqual(recorded.map((event) => Date.parse(event.recordedAt)));
    await Promise.all([store.close(), log.close()]);
  });

  it('makes reads wait for a position until the projection reaches it', async () => {
    const store = await SqliteReadStore.open({ file: ':memory:' });
    const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS[0]!);
    const head = await events.headPosition();
    const waiting = runner.waitFor(head, 5000);
    await runner.catchUp();
    await expect(waiting).resolves.toBe(true);
    await expect(runner.waitFor(head + 1000, 20)).resolves.toBe(false);
    await store.close();
  });
});
