import { SqliteEventStore } from '@crm/event-store';
import { ReadTooLargeError, Slicer } from '@crm/platform/slicing';
import { loadFixture } from '../../../projections/src/testing/crm-fixture';
import { populationAt } from './history-replay';
import { REPLAY_TOO_LARGE, type ReplayBudget } from './replay-budget';

const AS_OF = '2026-01-01T00:00:00.000Z';
const BOTH = { idic: true, kpiFacts: true };

/** The error populationAt rejected with, or a failure when it resolved. */
async function rejectionOf(replay: Promise<unknown>): Promise<unknown> {
  return replay.then(
    () => {
      throw new Error('expected the replay to be refused');
    },
    (error: unknown) => error,
  );
}

/** The hand-checked fixture's log (370 events, positions 1-370), folded in memory. */
describe('populationAt', () => {
  let events: SqliteEventStore;
  let head: number;

  beforeAll(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    await loadFixture(events);
    head = await events.headPosition();
  });
  afterAll(() => events.close());

  it('folds the same population whether it yields at every event or never', async () => {
    const sliced = await populationAt(events, AS_OF, BOTH, { slicer: new Slicer({ sliceMs: 0 }) });
    const whole = await populationAt(events, AS_OF, BOTH, { slicer: new Slicer({ sliceMs: 1e9 }) });

    expect(sliced.idic.size).toBeGreaterThan(0);
    expect(sliced).toEqual(whole);
  });

  it('lets what waits on the event loop run while it folds', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));

    const replay = populationAt(events, AS_OF, BOTH, { slicer: new Slicer({ sliceMs: 0 }) }).then(() =>
      order.push('replay done'),
    );
    await replay;

    expect(order).toEqual(['next turn', 'replay done']);
  });

  describe('with a budget', () => {
    const budget = (maxEvents: number, headCountsEvents: boolean): ReplayBudget => ({
      maxEvents,
      headCountsEvents,
    });

    it('folds a log of exactly the budget as without one', async () => {
      const within = await populationAt(events, AS_OF, BOTH, { budget: budget(head, true) });
      const counted = await populationAt(events, AS_OF, BOTH, { budget: budget(head, false) });

      expect(within).toEqual(await populationAt(events, AS_OF, BOTH));
      expect(counted).toEqual(within);
    });

    it('refuses a longer log before reading a page when the head counts the events', async () => {
      const readAll = jest.spyOn(events, 'readAll');
      try {
        const error = await rejectionOf(
          populationAt(events, AS_OF, BOTH, { budget: budget(head - 1, true) }),
        );

        expect(error).toBeInstanceOf(ReadTooLargeError);
        expect(error).toMatchObject({ code: REPLAY_TOO_LARGE });
        expect((error as Error).message).toContain(`The history holds ${head} events`);
        expect((error as Error).message).toContain(`at most ${head - 1}`);
        expect(readAll).not.toHaveBeenCalled();
      } finally {
        readAll.mockRestore();
      }
    });

    it('counts the events as it reads them when positions do not count them', async () => {
      const error = await rejectionOf(populationAt(events, AS_OF, BOTH, { budget: budget(100, false) }));

      expect(error).toBeInstanceOf(ReadTooLargeError);
      expect(error).toMatchObject({ code: REPLAY_TOO_LARGE });
      expect((error as Error).message).toContain('more than 100 events');
    });
  });
});
