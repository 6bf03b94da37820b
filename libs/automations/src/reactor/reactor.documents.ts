import type { CollectionSpec } from '@crm/read-store';

/**
 * A reactor's state shared by the processes (the admin routes in the API,
 * the runner in `all` or `automations`). `position` is its revision.
 */
export type ReactorStateDocument = {
  readonly id: string;
  readonly position: number;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  /** The last failure: a refusal sent to the dead letters, or the log or a store unreachable. */
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly updatedAt: string;
};

/**
 * - `pending`: not due yet, or due and not looked at yet;
 * - `met`: the case was answered by its due time, nothing recorded;
 * - `fired`: the breach and the follow-up are recorded;
 * - `skipped`: the customer was erased or merged meanwhile, nothing recorded;
 * - `dead-lettered`: the record was refused; see the dead letter.
 */
export const DEADLINE_STATUSES = ['pending', 'met', 'fired', 'skipped', 'dead-lettered'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

/**
 * A deadline kept by a reactor, one per trigger. `position` is the trigger's
 * log position when scheduled and goes up by one per change, so a replay of
 * the page that scheduled it (the same put) never brings a fired one back.
 */
export type DeadlineDocument = {
  readonly id: string;
  readonly position: number;
  readonly reactor: string;
  readonly triggerEventId: string;
  readonly triggerPosition: number;
  readonly triggerType: string;
  readonly correlationId: string;
  readonly streamId: string;
  readonly customerId: string;
  readonly subject: string;
  readonly dueAt: string;
  readonly status: DeadlineStatus;
  /** When it was looked at once due (null while pending). */
  readonly settledAt: string | null;
};

export const DEAD_LETTER_STATUSES = ['open', 'retried', 'skipped'] as const;
export type AutomationDeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/**
 * A trigger whose events a customer's stream refused. References only (no
 * event data). `phase`: refused when the trigger was read (`trigger`), or
 * when its deadline fired (`deadline`). `position` is the letter's revision.
 */
export type AutomationDeadLetterDocument = {
  readonly id: string;
  readonly position: number;
  readonly reactor: string;
  readonly phase: 'trigger' | 'deadline';
  readonly triggerEventId: string;
  readonly triggerPosition: number;
  readonly triggerType: string;
  readonly streamId: string;
  readonly customerId: string;
  /** The refusal's stable code, e.g. SUPPORT_CASE.NOT_OPENED. */
  readonly code: string;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  readonly status: AutomationDeadLetterStatus;
};

export const REACTORS = 'automation_reactors';
export const DEADLINES = 'automation_deadlines';
export const AUTOMATION_DEAD_LETTERS = 'automation_dead_letters';

export const AUTOMATION_COLLECTIONS: readonly CollectionSpec[] = [
  { name: REACTORS, indexes: [] },
  { name: DEADLINES, indexes: [{ field: 'reactor', carries: ['status', 'dueAt'] }, 'dueAt'] },
  { name: AUTOMATION_DEAD_LETTERS, indexes: [{ field: 'reactor', carries: ['status'] }, 'status'] },
];

/** A reactor's checkpoint key in the read store: the last log position it has dealt with. */
export function checkpointOf(reactor: string): string {
  return `automation:${reactor}`;
}

/** The checkpoint key that revisions of states, deadlines and letters commit under; it means nothing itself. */
export const REVISIONS_UNIT = 'automation-revisions';

export function deadlineId(reactor: string, triggerEventId: string): string {
  return `${reactor}:${triggerEventId}`;
}

export function deadLetterId(reactor: string, phase: 'trigger' | 'deadline', triggerEventId: string): string {
  return `${reactor}:${phase}:${triggerEventId}`;
}
