import { ReadStoreUnavailableError, SqliteReadStore, type StoredDocument, type Write } from '@crm/read-store';
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
});
