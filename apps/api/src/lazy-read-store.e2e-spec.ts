import { type ReadStore, ReadStoreUnavailableError, SqliteReadStore } from '@crm/read-store';
import { readStoreContract } from '@crm/read-store/testing';
import { LazyReadStore } from './lazy-read-store';

readStoreContract('LazyReadStore over SqliteReadStore', () => {
  const store = new LazyReadStore(() => SqliteReadStore.open({ file: ':memory:' }));
  return Promise.resolve({ store, dispose: () => store.close() });
});

/** Counts the opens it is asked for; fails the first `failures` of them as an unreachable engine would. */
function opener(failures = 0): {
  open: () => Promise<ReadStore>;
  opened: () => number;
  closed: () => number;
} {
  let opens = 0;
  let closes = 0;
  return {
    opened: () => opens,
    closed: () => closes,
    open: async () => {
      opens += 1;
      if (opens <= failures) throw new ReadStoreUnavailableError('no server');
      const store = await SqliteReadStore.open({ file: ':memory:' });
      const close = store.close.bind(store);
      store.close = () => {
        closes += 1;
        return close();
      };
      return store;
    },
  };
}

describe('LazyReadStore', () => {
  it('does not open the engine when it is built, only on first use', async () => {
    const engine = opener();
    const store = new LazyReadStore(engine.open);
    expect(engine.opened()).toBe(0);

    await expect(store.checkpoint('p')).resolves.toBe(0);

    expect(engine.opened()).toBe(1);
    await store.close();
  });

  it('opens once for calls that arrive together', async () => {
    const engine = opener();
    const store = new LazyReadStore(engine.open);

    await Promise.all([store.checkpoint('a'), store.checkpoint('b'), store.count('missing').catch(() => 0)]);

    expect(engine.opened()).toBe(1);
    await store.close();
  });

  it('tries to open again on the next call after a failed open', async () => {
    const engine = opener(1);
    const store = new LazyReadStore(engine.open);

    await expect(store.checkpoint('p')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
    await expect(store.checkpoint('p')).resolves.toBe(0);

    expect(engine.opened()).toBe(2);
    await store.close();
  });

  it('closing a store never used does not open the engine, and later calls are refused', async () => {
    const engine = opener();
    const store = new LazyReadStore(engine.open);

    await store.close();

    await expect(store.checkpoint('p')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
    expect(engine.opened()).toBe(0);
  });

  it('closing waits for an open under way and closes what it opened', async () => {
    const engine = opener();
    const store = new LazyReadStore(engine.open);
    const first = store.checkpoint('p');

    await store.close();

    await expect(first).resolves.toBe(0);
    expect(engine.closed()).toBe(1);
  });
});
