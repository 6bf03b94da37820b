import { CUSTOMER_STREAM_PREFIX } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import type { ReadPositions } from '@crm/projections/runtime';
import { type FeedFilter, type FeedFrame, followedEvents, liveFrames } from './event-feed';

/** The customer read models every event of a customer is applied to, named by their routes. */
export const CUSTOMER_READ_MODELS = ['journey', 'scores'] as const;

/** One frame of GET /customers/changes/stream: a customer's read models now reflect the event at `position`. */
export type CustomerChange = {
  readonly customerId: string;
  readonly readModels: readonly (typeof CUSTOMER_READ_MODELS)[number][];
  readonly position: number;
  /** The event applied, so a consumer can skip the types it does not care about. */
  readonly eventType: string;
};

/** How long one wait for the projections lasts before it is asked again (and the signal checked). */
const WAIT_SLICE_MS = 1000;

/**
 * The customers' events after `filter.after`, each handed out only once the
 * read models reflect it (ReadPositions, the same wait a read with
 * `minPosition` does): a consumer that refreshes its copy on a change reads
 * the new state, never the old one. In log order, so a customer's changes
 * come in the order of their events.
 */
export async function* appliedChanges(
  store: EventStore,
  positions: ReadPositions,
  filter: Omit<FeedFilter, 'types'>,
  signal: AbortSignal,
): AsyncGenerator<CustomerChange> {
  const customers = followedEvents(store, filter, signal);
  for await (const event of customers) {
    if (!event.streamId.startsWith(CUSTOMER_STREAM_PREFIX)) continue;
    const customerId = event.streamId.slice(CUSTOMER_STREAM_PREFIX.length);
    while (!(await positions.waitFor(event.position, { customerId }, WAIT_SLICE_MS))) {
      if (signal.aborted) return;
    }
    yield { customerId, readModels: CUSTOMER_READ_MODELS, position: event.position, eventType: event.type };
  }
}

export function changeFrame(change: CustomerChange): FeedFrame {
  return { frame: `id: ${change.position}\ndata: ${JSON.stringify(change)}\n\n`, position: change.position };
}

/** The change feed's frames (GET /customers/changes/stream). */
export function changeFrames(
  store: EventStore,
  positions: ReadPositions,
  filter: Omit<FeedFilter, 'types'>,
  heartbeatMs: number,
  signal: AbortSignal,
): AsyncGenerator<FeedFrame> {
  return liveFrames(appliedChanges(store, positions, filter, signal), changeFrame, heartbeatMs, signal);
}
