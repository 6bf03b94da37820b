import { EVENT_VERSIONS, toCrmEvent } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import { RULES } from '../ids/automation-ids';
import { type DueDeadline, type Intent, NOTHING, type Reaction, type Reactor } from '../reactor/reactor';

export const SERVICE_LEVEL = 'service-level';

export type ServiceLevelSettings = {
  /** Minutes to the first response, by priority. */
  readonly firstResponseMinutes: { readonly high: number; readonly normal: number; readonly low: number };
  /** Who gets the follow-up of a breached case. */
  readonly ownerQueue: string;
};

const MINUTE_MS = 60_000;

/**
 * Service level (domain.md, "Automations"): a case is due for a first
 * response within its priority's minutes of opening. The opening keeps a
 * deadline; once it is due, a case with no SupportCaseResponded at or before
 * it gets SupportCaseSlaBreached (occurredAt = dueAt) and a follow-up for
 * the owner queue, both caused by the opening.
 */
export function serviceLevelReactor(settings: ServiceLevelSettings): Reactor {
  return {
    name: SERVICE_LEVEL,
    triggers: ['SupportCaseOpened'],
    react: (trigger) => react(trigger, settings),
    fire: (deadline, stream) => fire(deadline, stream, settings),
    watches: ['SupportCaseResponded'],
  };
}

/**
 * `high`, `normal` or `low`, exactly as written; anything else, or none, is
 * `normal` (the contract between helpers), so a case is never without a deadline.
 */
export function firstResponseMinutes(priority: string | undefined, settings: ServiceLevelSettings): number {
  const minutes = settings.firstResponseMinutes;
  if (priority === 'high') return minutes.high;
  if (priority === 'low') return minutes.low;
  return minutes.normal;
}

/** The opening's occurredAt plus the priority's minutes, as an ISO-8601 UTC instant. */
export function firstResponseDueAt(
  openedAt: string,
  priority: string | undefined,
  settings: ServiceLevelSettings,
): string {
  return new Date(Date.parse(openedAt) + firstResponseMinutes(priority, settings) * MINUTE_MS).toISOString();
}

/** Whether the case had its first response at or before `dueAt` (a later one does not help). */
export function answeredInTime(caseId: string, dueAt: string, stream: readonly RecordedEvent[]): boolean {
  const due = Date.parse(dueAt);
  return stream.some(
    (event) =>
      event.type === 'SupportCaseResponded' &&
      event.data.caseId === caseId &&
      Date.parse(event.occurredAt) <= due,
  );
}

function react(trigger: RecordedEvent, settings: ServiceLevelSettings): Reaction {
  const event = toCrmEvent(trigger);
  if (event.type !== 'SupportCaseOpened') return NOTHING;
  const { caseId, priority } = event.data;
  return {
    record: [],
    schedule: [{ subject: caseId, dueAt: firstResponseDueAt(event.occurredAt, priority, settings) }],
  };
}

function fire(
  deadline: DueDeadline,
  stream: readonly RecordedEvent[],
  settings: ServiceLevelSettings,
): Intent[] {
  const { subject: caseId, dueAt } = deadline;
  if (answeredInTime(caseId, dueAt, stream)) return [];
  return [
    {
      rule: RULES.breach,
      build: (eventId, metadata) => ({
        type: 'SupportCaseSlaBreached',
        version: EVENT_VERSIONS.SupportCaseSlaBreached,
        eventId,
        occurredAt: dueAt,
        data: { caseId, dueAt },
        metadata,
      }),
    },
    {
      rule: RULES.followUp,
      build: (eventId, metadata) => ({
        type: 'FollowUpScheduled',
        version: EVENT_VERSIONS.FollowUpScheduled,
        eventId,
        occurredAt: dueAt,
        data: {
          followUpId: eventId,
          assignee: settings.ownerQueue,
          dueAt,
          reason: `First response overdue on case ${caseId}`,
          caseId,
        },
        metadata,
      }),
    },
  ];
}
