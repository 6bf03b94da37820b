import type { CrmEvent } from '@crm/domain';
import { canonicalInstant } from '../shared/instant';
import type { ProjectedEvent } from '../shared/projected-event';
import type { FollowUpItem, FollowUpSetDocument } from './follow-ups.document';

/**
 * A customer's follow-ups after their events (log order): the new document,
 * `doc` itself when none of the events changes it, null while the customer
 * never had one. Events the document holds already (position) are skipped,
 * so a replayed batch changes nothing.
 *
 * - A FollowUpScheduled whose followUpId is known is left out: the decider
 *   refuses it on one stream, so it can only come from a merged customer
 *   who used the same id, and the first one scheduled keeps it.
 * - Reassigning, completing or cancelling applies to an open follow-up only
 *   (the decider's rule); anything else is left out.
 * - CustomerErased empties the set: the stream takes no command after it,
 *   so its follow-ups could never be worked or closed.
 * - CustomersMerged only moves the position (the merged customer's
 *   follow-ups arrive in the survivor's merged history).
 */
export function foldFollowUpSet(
  customerId: string,
  doc: FollowUpSetDocument | null,
  events: readonly ProjectedEvent[],
): FollowUpSetDocument | null {
  let current = doc;
  for (const { event, position } of events) {
    if (current !== null && position <= current.position) continue;
    const items = nextItems(current?.items ?? [], event, position);
    if (items === undefined) continue;
    if (current === null && items.length === 0) continue;
    current = { id: customerId, position, customerId, items };
  }
  return current;
}

/**
 * The items after one event at `position` (which an item it changes keeps);
 * undefined when the event is not about follow-ups.
 */
function nextItems(
  items: readonly FollowUpItem[],
  event: CrmEvent,
  position: number,
): readonly FollowUpItem[] | undefined {
  switch (event.type) {
    case 'FollowUpScheduled': {
      const { followUpId, assignee, dueAt, caseId } = event.data;
      if (items.some((item) => item.followUpId === followUpId)) return items;
      const scheduled: FollowUpItem = {
        followUpId,
        assignee,
        dueAt: canonicalInstant(dueAt),
        scheduledAt: canonicalInstant(event.occurredAt),
        caseId: caseId ?? null,
        state: 'open',
        closedAt: null,
        position,
      };
      return [...items, scheduled];
    }
    case 'FollowUpReassigned':
      return changeOpen(items, event.data.followUpId, { assignee: event.data.assignee, position });
    case 'FollowUpCompleted':
      return changeOpen(items, event.data.followUpId, {
        state: 'completed',
        closedAt: canonicalInstant(event.occurredAt),
        position,
      });
    case 'FollowUpCancelled':
      return changeOpen(items, event.data.followUpId, {
        state: 'cancelled',
        closedAt: canonicalInstant(event.occurredAt),
        position,
      });
    case 'CustomerErased':
      return [];
    case 'CustomersMerged':
      return items;
    default:
      return undefined;
  }
}

function changeOpen(
  items: readonly FollowUpItem[],
  followUpId: string,
  change: Partial<FollowUpItem>,
): readonly FollowUpItem[] {
  return items.map((item) =>
    item.followUpId === followUpId && item.state === 'open' ? { ...item, ...change } : item,
  );
}
