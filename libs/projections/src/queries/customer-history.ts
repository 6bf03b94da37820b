import { customerStreamId, isCrmEventType, toCrmEvent } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { Slicer } from '@crm/platform/slicing';
import { InvalidCursorError } from '@crm/read-store';
import type { JourneyDocument } from '../journey/journey.document';
import { evolveJourney } from '../journey/journey.projection';
import { timelineEntry, type TimelineEntry } from '../journey/journey.timeline';
import { epochMs, type IsoInstant } from '../shared/instant';
import type { ProjectedEvent } from '../shared/projected-event';
import { absorbs, mergedAway, mergedHistory } from '../merge/merged-history';

/**
 * Which of a customer's recorded events count. The live journey takes those
 * its projection has applied (up to the document's position, minus the dead
 * letters it left out); time travel those that occurred before an instant.
 */
export type HistoryBound = {
  readonly upToPosition?: number;
  readonly occurredBefore?: IsoInstant;
  /** Positions the projection left out (open or skipped dead letters). */
  readonly leftOut?: ReadonlySet<number>;
};

/** A customer's journey folded from their stream and its timeline entries, in timeline order. */
export type CustomerHistory = { readonly journey: JourneyDocument; readonly timeline: TimelineEntry[] };

/** One page of the touchpoints, ordered by occurredAt, then log position. */
export type TimelinePage = {
  readonly items: TimelineEntry[];
  readonly nextCursor: string | null;
};

const STREAM_PAGE = 1000;

/**
 * Folds a customer's stream into the journey and the timeline. The timeline
 * is not a stored read model: it is the customer's own stream, which the
 * event store already keeps in order and indexed, so storing it again would
 * copy the log into the read store (and double a rebuild's writes). Null when
 * no registration counts. A long stream is folded in slices, sharing the
 * event loop.
 */
export async function customerHistory(
  store: EventStore,
  customerId: string,
  bound: HistoryBound = {},
  slicer: Slicer = new Slicer(),
): Promise<CustomerHistory | null> {
  const counts = countsWithin(bound);
  let journey: JourneyDocument | null = null;
  let timeline: TimelineEntry[] = [];
  let merges = false;
  const apply = (e: ProjectedEvent) => {
    journey = evolveJourney(journey, e);
    const entry = timelineEntry(e, journey);
    if (entry) timeline.push(entry);
  };
  for (let fromRevision = 0; ;) {
    const page = await store.readStream(customerStreamId(customerId), { fromRevision, limit: STREAM_PAGE });
    for (const recorded of page) {
      await slicer.tick();
      if (!counts(recorded)) continue;
      const e: ProjectedEvent = { event: toCrmEvent(recorded), position: recorded.position };
      // Merged into another customer: their history is the survivor's now.
      if (mergedAway(e.event, customerId)) return null;
      merges ||= absorbs(e.event, customerId);
      apply(e);
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < STREAM_PAGE) break;
    if (bound.upToPosition !== undefined && last.position >= bound.upToPosition) break;
    fromRevision = last.revision + 1;
  }
  if (merges) {
    // A survivor: fold its effective history (both customers' touchpoints) instead.
    journey = null;
    timeline = [];
    const history = await mergedHistory(store, customerId, { upTo: bound.upToPosition, counts });
    for (const e of history) {
      await slicer.tick();
      apply(e);
    }
  }
  const folded: JourneyDocument | null = journey;
  if (folded === null) return null;
  timeline.sort(compareEntries);
  return { journey: folded, timeline };
}

/**
 * What counts "as of" an instant (fixture C1): occurredAt strictly before it,
 * wherever the event sits in the log — today's knowledge about that instant,
 * back-dated lines included. A customer exists at asOf when registered before it.
 */
export function countsAsOf(event: Pick<RecordedEvent, 'occurredAt'>, asOfMs: number): boolean {
  return Date.parse(event.occurredAt) < asOfMs;
}

function countsWithin(bound: HistoryBound): (recorded: RecordedEvent) => boolean {
  const before =
    bound.occurredBefore === undefined ? Number.POSITIVE_INFINITY : epochMs(bound.occurredBefore);
  const upTo = bound.upToPosition ?? Number.POSITIVE_INFINITY;
  return (recorded) =>
    isCrmEventType(recorded.type) &&
    recorded.position <= upTo &&
    !(bound.leftOut?.has(recorded.position) ?? false) &&
    countsAsOf(recorded, before);
}

/** Timeline order: occurredAt (canonical, so string order is time order), then log position. */
function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.position - b.position;
}

/**
 * Keyset paging over timeline entries; the cursor names the last position
 * served. @throws InvalidCursorError for a cursor no page handed out.
 */
export function timelinePage(
  entries: readonly TimelineEntry[],
  cursor: string | undefined,
  limit: number,
): TimelinePage {
  let start = 0;
  if (cursor !== undefined && cursor !== '') {
    const position = decodeCursor(cursor);
    const index = entries.findIndex((entry) => entry.position === position);
    if (index < 0) throw new InvalidCursorError('it names no entry of this timeline');
    start = index + 1;
  }
  const items = entries.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + limit < entries.length;
  return { items, nextCursor: more && last ? encodeCursor(last.position) : null };
}

function encodeCursor(position: number): string {
  return Buffer.from(`t:${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^t:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError('it is not a timeline cursor');
  return Number(match[1]);
}
