import { type CrmEvent, customerStreamId, FOLLOW_UP_TYPES, isFollowUpType, toCrmEvent } from '@crm/domain';
import type { EventStore } from '@crm/event-store';

/** Merges nested deeper than this are a loop in the log (the decider forbids one), not history. */
const MAX_DEPTH = 64;

const TYPES: readonly string[] = [...FOLLOW_UP_TYPES, 'CustomersMerged'];

/** A CustomersMerged on the survivor's own stream: the merged customer's follow-ups join there. */
export function absorbedBy(event: CrmEvent, streamId: string): string | null {
  if (event.type !== 'CustomersMerged') return null;
  const { survivorId, mergedId } = event.data;
  return customerStreamId(survivorId) === streamId && mergedId !== survivorId ? mergedId : null;
}

/**
 * The follow-up events of a customer merged into another, recorded before
 * the merge (position below `upTo`), their own absorbed ones included (a
 * chain of merges), in log order. A merged customer's follow-ups are the
 * survivor's (docs/domain.md, "Follow-ups", P24): folded into the
 * survivor's decision state, they can be reassigned, completed or
 * cancelled there, as the read models show them there.
 */
export async function absorbedFollowUps(
  store: Pick<EventStore, 'readStream'>,
  mergedId: string,
  upTo: number,
): Promise<CrmEvent[]> {
  const found = await followUpsBefore(store, mergedId, upTo, 0);
  return found.sort((x, y) => x.position - y.position).map((x) => x.event);
}

type Positioned = { readonly event: CrmEvent; readonly position: number };

async function followUpsBefore(
  store: Pick<EventStore, 'readStream'>,
  mergedId: string,
  upTo: number,
  depth: number,
): Promise<Positioned[]> {
  if (depth > MAX_DEPTH)
    throw new RangeError(`Merges nested deeper than ${MAX_DEPTH} at customer ${mergedId}`);
  const streamId = customerStreamId(mergedId);
  const recorded = await store.readStream(streamId, { types: TYPES });
  const found: Positioned[] = [];
  for (const record of recorded) {
    if (record.position >= upTo) break;
    const event = toCrmEvent(record);
    const absorbed = absorbedBy(event, streamId);
    if (absorbed !== null)
      found.push(...(await followUpsBefore(store, absorbed, record.position, depth + 1)));
    else if (isFollowUpType(event.type)) found.push({ event, position: record.position });
  }
  return found;
}
