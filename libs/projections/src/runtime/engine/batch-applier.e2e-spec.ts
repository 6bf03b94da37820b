import {
  InvalidWriteError,
  type ReadStore,
  ReadStoreUnavailableError,
  SqliteReadStore,
  type StoredDocument,
  type UnitOfWork,
  type Write,
} from '@crm/read-store';
import {
  DEAD_LETTER_COLLECTION,
  DEAD_LETTER_COLLECTION_SPEC,
  type DeadLetterDocument,
} from '../../runner/dead-letter';
import type { CustomerEvent, Projection } from '../../runner/projection';
import { BatchApplier, type BatchUnit, type ProjectionFailure } from './batch-applier';

type Tally = StoredDocument & { readonly seen: readonly string[] };

function eventOf(customerId: string, eventId: string, position: number): CustomerEvent {
  return { customerId, position, event: { eventId, type: 'CallLogged' } as CustomerEvent['event'] };
}

/** One document per customer listing the events it saw; throws on the given event ids. */
function tallying(name: string, failOn: ReadonlySet<string> = new Set(), calls: string[] = []): Projection {
  return {
    name,
    collections: [{ name: `${name.replace(/-/g, '_')}_docs`, indexes: [] }],
    async project(batch, reader) {
      const collection = `${name.replace(/-/g, '_')}_docs`;
      calls.push(batch.map((e) => e.event.eventId).join(','));
      const bad = batch.find((e) => failOn.has(e.event.eventId));
      if (bad) throw new Error(`cannot apply ${bad.event.eventId}`);
      const ids = [...new Set(batch.map((e) => e.customerId))];
      const docs = new Map((await reader.getMany<Tally>(collection, ids)).map((d) => [d.id, d]));
      for (const e of batch) {
        const before = docs.get(e.customerId);
        docs.set(e.customerId, {
          id: e.customerId,
          position: e.position,
          seen: [...(before?.seen ?? []), e.event.eventId],
        });
      }
      return [...docs.values()].map((document): Write => ({ kind: 'put', collection, document }));
    },
  };
}

type Wallet = StoredDocument & { readonly total: number };

function paid(customerId: string, eventId: string, position: number, amount: number): CustomerEvent {
  const event = { eventId, type: 'PurchaseCompleted', data: { amount } } as unknown as CustomerEvent['event'];
  return { customerId, position, event };
}

/** Sums each customer's amounts into a document and all of them into a shared counter, as the KPIs do. */
const wallets: Projection = {
  name: 'wallets',
  collections: [
    { name: 'wallets', indexes: [] },
    { name: 'wallet_totals', indexes: [], kind: 'counters' },
  ],
  async project(batch, reader) {
    const ids = [...new Set(batch.map((e) => e.customerId))];
    const docs = new Map((await reader.getMany<Wallet>('wallets', ids)).map((d) => [d.id, d]));
    let revenue = 0;
    for (const e of batch) {
      const amount = (e.event.data as { amount: number }).amount;
      docs.set(e.customerId, {
        id: e.customerId,
        position: e.position,
        total: (docs.get(e.customerId)?.total ?? 0) + amount,
      });
      revenue += amount;
    }
    return [
      ...[...docs.values()].map((document): Write => ({ kind: 'put', collection: 'wallets', document })),
      { kind: 'increment', collection: 'wallet_totals', id: 'all', counters: { revenue } },
    ];
  },
};

/** A read store that refuses (as for a write it cannot hold) every unit with a document that `refuses`. */
function refusing(store: ReadStore, refuses: (document: StoredDocument) => boolean): ReadStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'commit') return Reflect.get(target, property, receiver) as unknown;
      return (unit: UnitOfWork) =>
        unit.writes.some((write) => write.kind === 'put' && refuses(write.document))
          ? Promise.reject(new InvalidWriteError('the engine refused it'))
          : target.commit(unit);
    },
  });
}

const batch = [eventOf('a', 'a1', 1), eventOf('b', 'b1', 2), eventOf('a', 'a2', 3), eventOf('b', 'b2', 4)];

describe('BatchApplier: project a batch, isolate failing customers, dead-letter them, commit with the checkpoint', () => {
  let store: SqliteReadStore;

  beforeEach(async () => {
    store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections([DEAD_LETTER_COLLECTION_SPEC]);
  });
  afterEach(() => store.close());

  async function prepared(...projections: Projection[]): Promise<void> {
    for (const projection of projections) await store.ensureCollections(projection.collections);
  }

  function unitOf(projection: Projection, events = batch, position = 4): BatchUnit {
    return { projection, events, checkpoint: `${projection.name}:test`, position };
  }

  it("commits each projection's documents with its checkpoint and the writes given beside them", async () => {
    const journey = tallying('journey');
    const scores = tallying('scores');
    await prepared(journey, scores);
    await store.ensureCollections([{ name: 'progress', indexes: [] }]);
    const progress: Write = { kind: 'put', collection: 'progress', document: { id: 'p0', position: 4 } };

    const outcomes = await new BatchApplier(store).apply([
      unitOf(journey),
      { ...unitOf(scores), alsoWrite: [progress] },
    ]);

    expect(outcomes.map((o) => [o.unit.projection.name, o.applied, o.failed.length])).toEqual([
      ['journey', 4, 0],
      ['scores', 4, 0],
    ]);
    expect(await store.checkpoint('journey:test')).toBe(4);
    expect(await store.checkpoint('scores:test')).toBe(4);
    expect(await store.get<Tally>('journey_docs', 'a')).toMatchObject({ position: 3, seen: ['a1', 'a2'] });
    expect(await store.get('progress', 'p0')).toEqual({ id: 'p0', position: 4 });
  });

  it('dead-letters the failing event of one customer for that projection only, and applies the rest', async () => {
    const journey = tallying('journey', new Set(['a2']));
    const scores = tallying('scores');
    await prepared(journey, scores);
    const heard: ProjectionFailure[] = [];
    const applier = new BatchApplier(store, {
      attempts: 2,
      source: 'kafka',
      now: () => new Date('2026-01-02T03:04:05.000Z'),
      onDeadLetters: async (failures) => {
        // Heard before the letters are recorded.
        expect(await store.count(DEAD_LETTER_COLLECTION)).toBe(0);
        heard.push(...failures);
      },
    });

    const [journeyOutcome, scoresOutcome] = await applier.apply([unitOf(journey), unitOf(scores)]);

    expect(journeyOutcome?.applied).toBe(3);
    expect(journeyOutcome?.failed.map((f) => f.event.event.eventId)).toEqual(['a2']);
    expect(scoresOutcome?.applied).toBe(4);
    expect(heard).toEqual([
      { projection: 'journey', event: batch[2], error: 'cannot apply a2', attempts: 2 },
    ]);
    expect(await store.get<Tally>('journey_docs', 'a')).toMatchObject({ position: 1, seen: ['a1'] });
    expect(await store.get<Tally>('journey_docs', 'b')).toMatchObject({ position: 4, seen: ['b1', 'b2'] });
    expect(await store.get<Tally>('scores_docs', 'a')).toMatchObject({ seen: ['a1', 'a2'] });
    const letters = await store.find<DeadLetterDocument & StoredDocument>(DEAD_LETTER_COLLECTION);
    expect(letters.items).toEqual([
      expect.objectContaining({
        id: 'journey:a2',
        projection: 'journey',
        customerId: 'a',
        position: 3,
        attempts: 2,
        status: 'open',
        source: 'kafka',
        firstFailedAt: '2026-01-02T03:04:05.000Z',
      }),
    ]);
    expect(await store.checkpoint('journey:test')).toBe(4);
  });

  it('waits between the tries of one event, and applies a position given twice once', async () => {
    const calls: string[] = [];
    const waits: number[] = [];
    const journey = tallying('journey', new Set(['b2']), calls);
    await prepared(journey);
    const applier = new BatchApplier(store, {
      attempts: 3,
      betweenAttempts: (failures) => {
        waits.push(failures);
        return Promise.resolve();
      },
    });

    await applier.apply([unitOf(journey, [...batch, batch[3]!])]);

    expect(calls).toEqual(['a1,b1,a2,b2', 'a1,a2', 'b1,b2', 'b1', 'b2', 'b2', 'b2']);
    expect(waits).toEqual([1, 2]);
  });

  it('throws a read-store outage without committing the unit, for the caller to retry the batch', async () => {
    const journey = tallying('journey');
    await prepared(journey);
    const down: Projection = {
      ...journey,
      project: () => Promise.reject(new ReadStoreUnavailableError('the read store is down')),
    };

    await expect(new BatchApplier(store).apply([unitOf(down)])).rejects.toBeInstanceOf(
      ReadStoreUnavailableError,
    );

    expect(await store.checkpoint('journey:test')).toBe(0);
    expect(await store.count(DEAD_LETTER_COLLECTION)).toBe(0);
  });

  it('leaves the unit uncommitted when the dead-letter hook fails', async () => {
    const journey = tallying('journey', new Set(['a1']));
    await prepared(journey);
    const applier = new BatchApplier(store, {
      attempts: 1,
      onDeadLetters: () => Promise.reject(new Error('the dead-letter topic is unreachable')),
    });

    await expect(applier.apply([unitOf(journey)])).rejects.toThrow('the dead-letter topic is unreachable');

    expect(await store.checkpoint('journey:test')).toBe(0);
    expect(await store.count('journey_docs')).toBe(0);
  });

  it('commits customer by customer when the store refuses the unit, dead-letters what it still refuses, and moves on', async () => {
    const journey = tallying('journey');
    await prepared(journey);
    const picky = refusing(
      store,
      (document) => (document['seen'] as string[] | undefined)?.includes('a2') === true,
    );
    const heard: ProjectionFailure[] = [];
    const applier = new BatchApplier(picky, {
      onDeadLetters: (failures) => {
        heard.push(...failures);
        return Promise.resolve();
      },
    });

    const [outcome] = await applier.apply([unitOf(journey)]);

    expect(outcome?.applied).toBe(3);
    expect(outcome?.failed.map((f) => [f.event.event.eventId, f.error])).toEqual([
      ['a2', 'Invalid write: the engine refused it'],
    ]);
    expect(heard.map((f) => `${f.projection} ${f.event.event.eventId}`)).toEqual(['journey a2']);
    expect(await store.get<Tally>('journey_docs', 'a')).toMatchObject({ position: 1, seen: ['a1'] });
    expect(await store.get<Tally>('journey_docs', 'b')).toMatchObject({ position: 4, seen: ['b1', 'b2'] });
    expect(await store.checkpoint('journey:test')).toBe(4);
    const letters = await store.find<DeadLetterDocument & StoredDocument>(DEAD_LETTER_COLLECTION);
    expect(letters.items.map((letter) => [letter.id, letter.status])).toEqual([['journey:a2', 'open']]);

    // Replayed after a crash, the unit changes nothing more.
    await applier.apply([unitOf(journey)]);
    expect(await store.get<Tally>('journey_docs', 'b')).toMatchObject({ position: 4, seen: ['b1', 'b2'] });
  });

  it("fails a customer's event whose sum the read models cannot hold exactly, in documents and counters alike", async () => {
    await prepared(wallets);
    await store.commit({
      projection: 'seed',
      position: 0,
      writes: [{ kind: 'increment', collection: 'wallet_totals', id: 'all', counters: { revenue: 1000 } }],
    });
    const events = [
      paid('a', 'a1', 1, 500),
      paid('b', 'b1', 2, 1e308),
      paid('b', 'b2', 3, 200),
      paid('c', 'c1', 4, Number.MAX_SAFE_INTEGER - 1000),
      paid('c', 'c2', 5, 1),
      paid('d', 'd1', 6, 2000),
      paid('a', 'a2', 7, 300),
    ];

    const [outcome] = await new BatchApplier(store, { attempts: 1 }).apply([unitOf(wallets, events, 7)]);

    // b1 makes b's document unsafe; c1 would take the shared counter (1,000 stored) past the
    // safe integers: the unit is refused whole, then c1 alone, and everyone else is counted.
    expect(outcome?.failed.map((f) => f.event.event.eventId)).toEqual(['b1', 'c1']);
    expect(outcome?.failed.map((f) => f.error)).toEqual([
      'Unstorable write: wallets.b.total is 1e+308, beyond the safe integers',
      expect.stringContaining('a counter of wallet_totals/all would reach'),
    ]);
    expect(await store.get<Wallet>('wallets', 'b')).toMatchObject({ total: 200 });
    expect(await store.get<Wallet>('wallets', 'c')).toMatchObject({ total: 1 });
    const [totals] = await store.getCounters('wallet_totals', ['all']);
    expect(totals?.counters.get('revenue')).toBe(1000 + 800 + 200 + 1 + 2000);
    expect(await store.checkpoint('wallets:test')).toBe(7);
  });
});
