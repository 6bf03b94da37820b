import { type CustomersMerged, customerStreamId, EVENT_VERSIONS } from '@crm/domain';
import type { EventStore } from '@crm/event-store';

export type MergeToRecord = {
  readonly survivorId: string;
  readonly mergedId: string;
  readonly occurredAt: string;
};

/** Two purchasers of the hand-checked fixture, merged late in its year. */
export const FIXTURE_MERGE: MergeToRecord = {
  survivorId: 'cust-12',
  mergedId: 'cust-05',
  occurredAt: '2025-10-01T00:00:00.000Z',
};

/** Appends a merge as the merge route records it: the merged side, then the survivor's. */
export async function recordMerge(events: Pick<EventStore, 'append'>, merge: MergeToRecord): Promise<void> {
  const { survivorId, mergedId, occurredAt } = merge;
  const side = (eventId: string): CustomersMerged => ({
    type: 'CustomersMerged',
    version: EVENT_VERSIONS.CustomersMerged,
    eventId,
    occurredAt,
    data: { survivorId, mergedId },
    metadata: { correlationId: 'test-merge', causationId: null, actor: 'test', source: 'test' },
  });
  await events.append(customerStreamId(mergedId), [side('8f7d3c52-4a1e-4b6f-9d2a-0c5e7b1f3a01')]);
  await events.append(customerStreamId(survivorId), [side('8f7d3c52-4a1e-4b6f-9d2a-0c5e7b1f3a02')]);
}
