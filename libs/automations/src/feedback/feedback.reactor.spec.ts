import { createEventFactory } from '@crm/domain/testing';
import { automatedEventId, RULES } from '../ids/automation-ids';
import { reactorEvents } from '../reactor/recorder';
import { recorded } from '../testing/recorded';
import { feedbackReactor } from './feedback.reactor';

describe('feedback', () => {
  const f = createEventFactory();

  it('asks for a CSAT survey when a case is resolved, at the resolution time, the request id being the event id', () => {
    const resolved = f.supportCaseResolved(
      { caseId: 'c-3' },
      { occurredAt: '2026-03-02T15:00:00.000Z', metadata: { correlationId: 'corr-9' } },
    );
    const reaction = feedbackReactor().react(recorded(resolved));
    const events = reactorEvents(
      'feedback',
      { eventId: resolved.eventId, correlationId: 'corr-9', streamId: 'customer-cust-1' },
      reaction.record,
    );
    const id = automatedEventId(resolved.eventId, RULES.surveyRequest);

    expect(reaction.schedule).toEqual([]);
    expect(events).toEqual([
      {
        type: 'SurveyRequested',
        version: 1,
        eventId: id,
        occurredAt: '2026-03-02T15:00:00.000Z',
        data: { requestId: id, surveyType: 'csat', caseId: 'c-3' },
        metadata: {
          causationId: resolved.eventId,
          correlationId: 'corr-9',
          actor: 'automation:feedback',
          source: 'automations',
        },
      },
    ]);
  });

  it('follows only resolutions', () => {
    expect(feedbackReactor().triggers).toEqual(['SupportCaseResolved']);
    expect(feedbackReactor().react(recorded(f.supportCaseOpened())).record).toEqual([]);
  });
});
