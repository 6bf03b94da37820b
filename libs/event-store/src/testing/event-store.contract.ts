import type { EventStore } from '../event-store.port';
import { appendContract } from './contract/append.contract';
import { concurrencyContract } from './contract/concurrency.contract';
import { followContract } from './contract/follow.contract';
import { idempotencyContract } from './contract/idempotency.contract';
import { readContract } from './contract/read.contract';

export type EventStoreContractFactory = () => Promise<{ store: EventStore; dispose: () => Promise<void> }>;

/**
 * The behaviour every EventStore adapter must show, run from each adapter's
 * spec. Tests only use fresh UUID stream names and never assume an empty log,
 * so the suite also runs against a shared server.
 */
export function eventStoreContract(name: string, factory: EventStoreContractFactory): void {
  describe(`${name} honours the EventStore contract`, () => {
    let current: Awaited<ReturnType<EventStoreContractFactory>> | undefined;
    const store = (): EventStore => {
      if (!current) throw new Error('The contract store is not open (used outside a test?)');
      return current.store;
    };

    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      await current?.dispose();
      current = undefined;
    });

    appendContract(store);
    idempotencyContract(store);
    readContract(store);
    followContract(store);
    concurrencyContract(store);
  });
}
