import type { EventStore } from '@crm/event-store';
import { absorbs, mergedHistory } from '../../merge/merged-history';
import type { CustomerEvent } from '../../runner/projection';

/** Where merged histories are read from: the event store as projections see it (decrypted). */
export type HistorySource = Pick<EventStore, 'readStream'>;

/**
 * The batch with each survivor's CustomersMerged carrying the survivor's
 * effective history up to it (merge/merged-history.ts), read from the log,
 * which a projection folds from nothing (foldWithMerges). The batch itself
 * when it holds no merge, which is almost always.
 */
export async function withMergedHistories(
  source: HistorySource,
  batch: readonly CustomerEvent[],
): Promise<readonly CustomerEvent[]> {
  const needsHistory = (e: CustomerEvent) => e.mergedHistory === undefined && absorbs(e.event, e.customerId);
  if (!batch.some(needsHistory)) return batch;
  const enriched: CustomerEvent[] = [];
  for (const e of batch) {
    enriched.push(
      needsHistory(e)
        ? { ...e, mergedHistory: await mergedHistory(source, e.customerId, { upTo: e.position }) }
        : e,
    );
  }
  return enriched;
}
