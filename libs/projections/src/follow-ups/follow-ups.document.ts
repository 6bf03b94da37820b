import type { ProjectionDocument } from '../shared/projected-event';

/** One document per customer who has follow-ups: what the worklist documents are diffed from. */
export const FOLLOW_UP_SETS_COLLECTION = 'follow_up_sets';

/** One document per follow-up, id `<customerId>/<followUpId>`: the worklist reads these. */
export const FOLLOW_UPS_COLLECTION = 'follow_ups';

/**
 * Sorts below every character an assignee or followUpId may hold (the routes
 * refuse control characters), so a key prefix `<assignee>␁` covers exactly
 * one assignee and string order is (assignee, dueAt, followUpId) order.
 */
export const KEY_SEPARATOR = '\u0001';

export type FollowUpState = 'open' | 'completed' | 'cancelled';

/**
 * A follow-up as the read models keep it: no `reason` and no `outcome`
 * (free text, personal data: they are read from the decrypted stream, never
 * stored here).
 */
export type FollowUpItem = {
  readonly followUpId: string;
  readonly assignee: string;
  /** Canonical UTC instant. */
  readonly dueAt: string;
  /** occurredAt of the FollowUpScheduled. */
  readonly scheduledAt: string;
  readonly caseId: string | null;
  readonly state: FollowUpState;
  /** occurredAt of the completion or cancellation; null while open. */
  readonly closedAt: string | null;
  /**
   * Log position of the event that last changed it: its worklist document's
   * position, the same whichever batches the events came in (a rebuild
   * folds them in other batches than the live pipeline).
   */
  readonly position: number;
};

/** The follow-ups of one customer (a merged customer's included), in the order they were scheduled. */
export type FollowUpSetDocument = ProjectionDocument & {
  readonly customerId: string;
  readonly items: readonly FollowUpItem[];
};

/**
 * A worklist entry. `dueKey` (`<dueAt>␁<followUpId>`) and `assigneeDueKey`
 * (`<assignee>␁<dueKey>`) are set while the follow-up is open and null once
 * closed: one index each serves "open, sorted by due date", with or
 * without an assignee, and `dueKey < asOf` is "overdue at asOf".
 */
export type FollowUpDocument = ProjectionDocument &
  FollowUpItem & {
    readonly customerId: string;
    readonly dueKey: string | null;
    readonly assigneeDueKey: string | null;
  };

export function followUpDocumentId(customerId: string, followUpId: string): string {
  return `${customerId}/${followUpId}`;
}

export function dueKeyOf(dueAt: string, followUpId: string): string {
  return `${dueAt}${KEY_SEPARATOR}${followUpId}`;
}

export function assigneeKeyPrefix(assignee: string): string {
  return `${assignee}${KEY_SEPARATOR}`;
}
