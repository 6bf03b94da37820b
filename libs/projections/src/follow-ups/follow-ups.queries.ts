import type { Filter, ReadStore, StoredDocument } from '@crm/read-store';
import {
  assigneeKeyPrefix,
  FOLLOW_UP_SETS_COLLECTION,
  FOLLOW_UPS_COLLECTION,
  type FollowUpDocument,
  type FollowUpItem,
  type FollowUpSetDocument,
  KEY_SEPARATOR,
} from './follow-ups.document';

export const WORKLIST_STATUSES = ['open', 'overdue'] as const;
export type WorklistStatus = (typeof WORKLIST_STATUSES)[number];

/** A worklist entry as read: open, or overdue (open and due before asOf). */
export type WorklistItem = {
  readonly followUpId: string;
  readonly customerId: string;
  readonly assignee: string;
  readonly dueAt: string;
  readonly scheduledAt: string;
  readonly caseId: string | null;
  readonly status: WorklistStatus;
};

export type WorklistQuery = {
  /** Absent: every assignee's. */
  readonly assignee?: string;
  /** `open`: every open follow-up; `overdue`: those due before asOf. */
  readonly status: WorklistStatus;
  /** Canonical UTC instant. */
  readonly asOf: string;
  readonly limit: number;
  readonly cursor?: string;
};

export type WorklistPage = { readonly items: WorklistItem[]; readonly nextCursor: string | null };

/** The character after KEY_SEPARATOR: `[prefix, prefix with it)` is every key starting with prefix. */
const AFTER_SEPARATOR = String.fromCharCode(KEY_SEPARATOR.charCodeAt(0) + 1);

/**
 * Worklists and a customer's open follow-ups. Open-ness is as recorded (the
 * read model's current state); asOf only decides which open follow-ups are
 * overdue (dueAt < asOf).
 */
export class FollowUpQueries {
  constructor(private readonly store: ReadStore) {}

  /** Open follow-ups sorted by dueAt, ties by followUpId (then customer). */
  async worklist(query: WorklistQuery): Promise<WorklistPage> {
    const { filter, field } = worklistFilter(query);
    const page = await this.store.find<FollowUpDocument & StoredDocument>(FOLLOW_UPS_COLLECTION, {
      filter,
      sort: [{ field, direction: 'asc' }],
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      items: page.items.map((doc) => itemOf(doc.customerId, doc, query.asOf)),
      nextCursor: page.nextCursor,
    };
  }

  /** A customer's open follow-ups, sorted as a worklist; [] when they have none (or are not projected yet). */
  async openOf(customerId: string, asOf: string): Promise<WorklistItem[]> {
    const set = await this.store.get<FollowUpSetDocument & StoredDocument>(
      FOLLOW_UP_SETS_COLLECTION,
      customerId,
    );
    return (set?.items ?? [])
      .filter((item) => item.state === 'open')
      .sort(byDueDate)
      .map((item) => itemOf(customerId, item, asOf));
  }
}

function worklistFilter(query: WorklistQuery): { filter: Filter; field: string } {
  if (query.assignee === undefined) {
    const upper = query.status === 'overdue' ? query.asOf : undefined;
    // A range on the key keeps closed follow-ups (key null) out: null never matches a range.
    return { field: 'dueKey', filter: { dueKey: { $gte: '', $lt: upper } } };
  }
  const prefix = assigneeKeyPrefix(query.assignee);
  const upper = query.status === 'overdue' ? `${prefix}${query.asOf}` : `${query.assignee}${AFTER_SEPARATOR}`;
  return { field: 'assigneeDueKey', filter: { assigneeDueKey: { $gte: prefix, $lt: upper } } };
}

function byDueDate(a: FollowUpItem, b: FollowUpItem): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  return a.followUpId < b.followUpId ? -1 : a.followUpId > b.followUpId ? 1 : 0;
}

function itemOf(customerId: string, item: FollowUpItem, asOf: string): WorklistItem {
  return {
    followUpId: item.followUpId,
    customerId,
    assignee: item.assignee,
    dueAt: item.dueAt,
    scheduledAt: item.scheduledAt,
    caseId: item.caseId,
    status: item.dueAt < asOf ? 'overdue' : 'open',
  };
}
