import type { EventMetadata, FollowUpScheduled, SupportCaseSlaBreached, SurveyRequested } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import type { RuleName } from '../ids/automation-ids';

/** What reactors record: automated events, and the follow-ups they schedule. */
export type ReactorEvent = SurveyRequested | SupportCaseSlaBreached | FollowUpScheduled;

/**
 * One event a rule wants recorded. The framework derives its id from the
 * trigger and the rule (automatedEventId) and fills the metadata, so a rule
 * only says what the event holds.
 */
export type Intent = {
  readonly rule: RuleName;
  readonly build: (eventId: string, metadata: EventMetadata) => ReactorEvent;
};

/** A time at which a reactor looks again at a trigger (`subject`: what it is about, e.g. the caseId). */
export type DeadlinePlan = { readonly subject: string; readonly dueAt: string };

/** What a trigger leads to at once: events to record now, deadlines to keep for later. */
export type Reaction = { readonly record: readonly Intent[]; readonly schedule: readonly DeadlinePlan[] };

/** A kept deadline, as a reactor's `fire` sees it. */
export type DueDeadline = {
  readonly triggerEventId: string;
  readonly subject: string;
  readonly dueAt: string;
};

/**
 * A reactor: a name and rules over the log. Both functions are pure (no
 * clock, no I/O): time comes from the events and from the deadline, so
 * replaying a trigger gives the same events with the same ids.
 */
export type Reactor = {
  /** Lower-case, e.g. `feedback`; events it records carry `actor: automation:<name>`. */
  readonly name: string;
  /** The event types it follows; the others only move its checkpoint. */
  readonly triggers: readonly string[];
  react(trigger: RecordedEvent): Reaction;
  /**
   * What a deadline leads to once due, given the customer's stream as it
   * stands (the reactors with deadlines only).
   */
  fire?(deadline: DueDeadline, stream: readonly RecordedEvent[]): readonly Intent[];
  /** The event types `fire` looks at in the stream; the others are not read. */
  readonly watches?: readonly string[];
};

export const NOTHING: Reaction = { record: [], schedule: [] };
