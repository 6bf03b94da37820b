import { EVENT_VERSIONS, toCrmEvent } from '@crm/domain';
import type { RecordedEvent } from '@crm/event-store';
import { RULES } from '../ids/automation-ids';
import { NOTHING, type Reaction, type Reactor } from '../reactor/reactor';

export const FEEDBACK = 'feedback';

/**
 * Feedback (domain.md, "Automations"): a resolved case's customer is asked
 * for a CSAT survey. The request's id is its event id, so an answer can name
 * it (`SurveyAnswered.requestId`); it happened when the case was resolved.
 */
export function feedbackReactor(): Reactor {
  return { name: FEEDBACK, triggers: ['SupportCaseResolved'], react };
}

function react(trigger: RecordedEvent): Reaction {
  const event = toCrmEvent(trigger);
  if (event.type !== 'SupportCaseResolved') return NOTHING;
  const { caseId } = event.data;
  return {
    record: [
      {
        rule: RULES.surveyRequest,
        build: (eventId, metadata) => ({
          type: 'SurveyRequested',
          version: EVENT_VERSIONS.SurveyRequested,
          eventId,
          occurredAt: event.occurredAt,
          data: { requestId: eventId, surveyType: 'csat', caseId },
          metadata,
        }),
      },
    ],
    schedule: [],
  };
}
