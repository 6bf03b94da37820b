import {
  type CrmEvent,
  type CustomerRegistered,
  customerStreamId,
  isAutomatedType,
  isCrmEventType,
  isFollowUpType,
  isTouchpoint,
  toCrmEvent,
} from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { ProjectedEvent } from '../shared/projected-event';

/**
 * A merge (domain.md, "Customer profile, consent and identity"): from the
 * CustomersMerged on, the merged customer's history counts as the
 * survivor's, "one customer, not two: registration = the earlier
 * registration, purchases and touchpoints of both, in occurredAt order".
 *
 * The product reads that as one history, the survivor's *effective history*:
 * the survivor's own events, with, at each merge it survived, the merged
 * customer's touchpoints and automated events (survey requests, SLA breaches:
 * facts of the KPIs, domain.md P-items) up to the merge (their own effective history, so a
 * chain of merges folds whole), in log order. Profile and consent are the
 * survivor's (the merged customer's registration, profile updates and
 * consent changes are left out); the one registration counted is the
 * survivor's, with the earlier `occurredAt` of the two and the earlier log
 * position, so that it comes first. Folding this history from nothing gives
 * exactly the documents of a customer who had it from the start: that is
 * how every projection, the timeline and time travel count a merge.
 */

/** A CustomersMerged on the survivor's stream: the merged history joins here. */
export function absorbs(
  event: CrmEvent,
  customerId: string,
): event is CrmEvent & { type: 'CustomersMerged' } {
  return (
    event.type === 'CustomersMerged' &&
    event.data.survivorId === customerId &&
    event.data.mergedId !== customerId
  );
}

/** A CustomersMerged on the merged customer's stream: its read models go from here. */
export function mergedAway(event: CrmEvent, customerId: string): boolean {
  return event.type === 'CustomersMerged' && event.data.mergedId === customerId;
}

/**
 * The survivor's effective history from its own events (log order, those
 * that count) and the effective histories of the customers it absorbed.
 * Pure: the caller reads the streams.
 */
export function combineHistories(
  own: readonly ProjectedEvent[],
  absorbed: readonly (readonly ProjectedEvent[])[],
): ProjectedEvent[] {
  const registration = own.find((e) => e.event.type === 'CustomerRegistered');
  if (registration === undefined || absorbed.length === 0) return [...own];
  let occurredAt = registration.event.occurredAt;
  let position = registration.position;
  const combined = own.filter((e) => e !== registration);
  for (const history of absorbed) {
    const theirs = history.find((e) => e.event.type === 'CustomerRegistered');
    if (theirs !== undefined) {
      if (Date.parse(theirs.event.occurredAt) < Date.parse(occurredAt)) occurredAt = theirs.event.occurredAt;
      position = Math.min(position, theirs.position);
    }
    combined.push(...history.filter((e) => carriedOver(e.event)));
  }
  const first: ProjectedEvent = {
    event: { ...(registration.event as CustomerRegistered), occurredAt },
    position,
  };
  return [first, ...combined].sort((a, b) => a.position - b.position);
}

/**
 * What of a merged customer's history becomes the survivor's: touchpoints,
 * what the automations recorded (survey requests and breaches count in the
 * survivor's KPIs), and follow-ups (domain.md, "Follow-ups": the survivor's
 * team works them). Neither of the last two is a touchpoint, so the journey,
 * scores and KPIs fold past what they do not read.
 */
function carriedOver(event: CrmEvent): boolean {
  return isTouchpoint(event) || isAutomatedType(event.type) || isFollowUpType(event.type);
}

/** Which recorded events count: all of them, or up to a position, or those that occurred before asOf. */
export type HistoryFilter = {
  /** Inclusive. */
  readonly upTo?: number;
  readonly counts?: (recorded: RecordedEvent) => boolean;
};

/** Merges nested deeper than this are a loop in the log (the decider forbids one), not history. */
const MAX_DEPTH = 64;
const STREAM_PAGE = 1000;

/**
 * A customer's effective history (see the top of this file), read from the
 * event store: their stream and, for each merge they survived that counts,
 * the merged customer's up to that merge.
 */
export async function mergedHistory(
  store: Pick<EventStore, 'readStream'>,
  customerId: string,
  filter: HistoryFilter = {},
  depth = 0,
): Promise<ProjectedEvent[]> {
  if (depth > MAX_DEPTH)
    throw new RangeError(`Merges nested deeper than ${MAX_DEPTH} at customer ${customerId}`);
  const upTo = filter.upTo ?? Number.POSITIVE_INFINITY;
  const own: ProjectedEvent[] = [];
  for (let fromRevision = 0; ;) {
    const page = await store.readStream(customerStreamId(customerId), { fromRevision, limit: STREAM_PAGE });
    for (const recorded of page) {
      if (recorded.position > upTo || !isCrmEventType(recorded.type)) continue;
      if (filter.counts !== undefined && !filter.counts(recorded)) continue;
      own.push({ event: toCrmEvent(recorded), position: recorded.position });
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < STREAM_PAGE || last.position > upTo) break;
    fromRevision = last.revision + 1;
  }
  const absorbed: ProjectedEvent[][] = [];
  for (const e of own) {
    if (!absorbs(e.event, customerId)) continue;
    const { mergedId } = e.event.data;
    absorbed.push(
      await mergedHistory(store, mergedId, { ...filter, upTo: Math.min(upTo, e.position) }, depth + 1),
    );
  }
  return combineHistories(own, absorbed);
}

const MERGE_PAGE = 1000;

/**
 * Whether the log holds a merge that does not count at asOf (it occurred at
 * or after it). Counters hold today's population, merges included, at every
 * instant; such a snapshot needs two customers where the counters have one,
 * so it is folded from the log instead.
 */
export async function mergedSince(store: Pick<EventStore, 'readAll'>, asOfMs: number): Promise<boolean> {
  for (let after = 0; ;) {
    const page = await store.readAll({ after, limit: MERGE_PAGE, types: ['CustomersMerged'] });
    if (page.some((recorded) => Date.parse(recorded.occurredAt) >= asOfMs)) return true;
    const last = page[page.length - 1];
    if (last === undefined || page.length < MERGE_PAGE) return false;
    after = last.position;
  }
}

/**
 * The survivor a customer was merged into, read from their stream; null
 * when never merged (before `asOfMs`, when given: time travel).
 */
export async function mergedIntoOf(
  store: Pick<EventStore, 'readStream'>,
  customerId: string,
  asOfMs = Number.POSITIVE_INFINITY,
): Promise<string | null> {
  for (let fromRevision = 0; ;) {
    const page = await store.readStream(customerStreamId(customerId), {
      fromRevision,
      limit: STREAM_PAGE,
      types: ['CustomersMerged'],
    });
    for (const recorded of page) {
      if (recorded.type !== 'CustomersMerged' || !(Date.parse(recorded.occurredAt) < asOfMs)) continue;
      const event = toCrmEvent(recorded);
      if (event.type === 'CustomersMerged' && mergedAway(event, customerId)) return event.data.survivorId;
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < STREAM_PAGE) return null;
    fromRevision = last.revision + 1;
  }
}
