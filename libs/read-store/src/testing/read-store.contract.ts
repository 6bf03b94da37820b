import type { ReadStore } from '../read-store.port';
import { collectionsContract } from './contract/collections.contract';
import { commitContract } from './contract/commit.contract';
import { countAndResetContract } from './contract/count-and-reset.contract';
import { countersContract } from './contract/counters.contract';
import { documentsContract } from './contract/documents.contract';
import { filterContract } from './contract/filter.contract';
import { sortAndPagingContract } from './contract/sort-and-paging.contract';

export type ReadStoreContractFactory = () => Promise<{ store: ReadStore; dispose: () => Promise<void> }>;

/**
 * The behaviour every ReadStore adapter must show, run from each adapter's
 * spec. Tests only use fresh collection and projection names and never
 * assume an empty store, so the suite also runs against a shared server.
 */
export function readStoreContract(name: string, factory: ReadStoreContractFactory): void {
  describe(`${name} honours the ReadStore contract`, () => {
    let current: Awaited<ReturnType<ReadStoreContractFactory>> | undefined;
    const store = (): ReadStore => {
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

    collectionsContract(store);
    documentsContract(store);
    commitContract(store);
    filterContract(store);
    sortAndPagingContract(store);
    countAndResetContract(store);
    countersContract(store);
  });
}
