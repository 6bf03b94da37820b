import type { CustomerRegistered } from '../events/catalogue';
import { DeciderSpecification } from '../testing/decider-specification';
import { createEventFactory, type EventFactory } from '../testing/event-factory';
import { commandFor } from './customer.commands';
import { customerDecider, evolveAll, initialState } from './customer.decider';

const spec = DeciderSpecification.for(customerDecider);

let f: EventFactory;
let registered: CustomerRegistered;

beforeEach(() => {
  f = createEventFactory();
  registered = f.customerRegistered();
});

describe('follow-ups (domain.md, "Follow-ups")', () => {
  it('schedules a follow-up for a registered customer', () => {
    const scheduled = f.followUpScheduled();
    spec({ given: [registered], when: commandFor(scheduled), then: [scheduled] });
  });

  it('schedules a follow-up about a case the customer opened', () => {
    const opened = f.supportCaseOpened({ caseId: 'case-9' });
    const scheduled = f.followUpScheduled({ caseId: 'case-9' });
    spec({ given: [registered, opened], when: commandFor(scheduled), then: [scheduled] });
  });

  it('refuses a follow-up about a case the customer never opened', () => {
    spec({
      given: [registered],
      when: commandFor(f.followUpScheduled({ caseId: 'case-9' })),
      thenThrows: { code: 'SUPPORT_CASE.NOT_OPENED', details: [{ field: 'caseId' }] },
    });
  });

  it('refuses a follow-up for an unknown customer', () => {
    spec({ given: [], when: commandFor(f.followUpScheduled()), thenThrows: 'CUSTOMER.NOT_FOUND' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a date without a time', '2024-01-08'],
    ['not UTC', '2024-01-08T09:00:00+02:00'],
    ['an impossible date', '2024-02-31T09:00:00Z'],
  ])('requires a due date: refuses one that is %s', (_label, dueAt) => {
    const scheduled = f.followUpScheduled({ dueAt: dueAt as string });
    spec({
      given: [registered],
      when: commandFor(scheduled),
      thenThrows: { code: 'FOLLOW_UP.DUE_INVALID', kind: 'rule_violation', details: [{ field: 'dueAt' }] },
    });
  });

  it('refuses scheduling the same followUpId twice as a conflict', () => {
    spec({
      given: [registered, f.followUpScheduled()],
      when: commandFor(f.followUpScheduled({ assignee: 'agent-2' })),
      thenThrows: { code: 'FOLLOW_UP.ALREADY_SCHEDULED', kind: 'conflict' },
    });
  });

  it.each(['followUpReassigned', 'followUpCompleted', 'followUpCancelled'] as const)(
    '%s: refuses an unknown follow-up',
    (builder) => {
      spec({
        given: [registered],
        when: commandFor(f[builder]({ followUpId: 'nope' })),
        thenThrows: { code: 'FOLLOW_UP.UNKNOWN', kind: 'rule_violation', details: [{ field: 'followUpId' }] },
      });
    },
  );

  it.each([
    ['completed', 'followUpCompleted'],
    ['cancelled', 'followUpCancelled'],
  ] as const)('refuses completing, cancelling or reassigning a follow-up already %s', (_label, closer) => {
    const given = [registered, f.followUpScheduled(), f[closer]()];
    for (const next of [f.followUpCompleted(), f.followUpCancelled(), f.followUpReassigned()])
      spec({ given, when: commandFor(next), thenThrows: { code: 'FOLLOW_UP.CLOSED', kind: 'conflict' } });
  });

  it('reassigns, then completes an open follow-up', () => {
    const reassigned = f.followUpReassigned();
    spec({ given: [registered, f.followUpScheduled()], when: commandFor(reassigned), then: [reassigned] });
    const completed = f.followUpCompleted();
    spec({
      given: [registered, f.followUpScheduled(), reassigned],
      when: commandFor(completed),
      then: [completed],
    });
  });

  it('carries follow-ups in ManageFollowUp only', () => {
    spec({
      given: [registered],
      when: { type: 'RecordTouchpoint', event: f.followUpScheduled() as never },
      thenThrows: { code: 'COMMAND.INVALID', details: [{ field: 'type' }] },
    });
  });
});

describe('survey requests (domain.md, "Automations": feedback)', () => {
  const caseOpened = () => f.supportCaseOpened();

  it('records a request for a case the customer opened', () => {
    const requested = f.surveyRequested();
    spec({ given: [registered, caseOpened()], when: commandFor(requested), then: [requested] });
  });

  it('refuses a request for a case never opened', () => {
    spec({
      given: [registered],
      when: commandFor(f.surveyRequested()),
      thenThrows: { code: 'SUPPORT_CASE.NOT_OPENED', details: [{ field: 'caseId' }] },
    });
  });

  it('refuses the same requestId twice', () => {
    spec({
      given: [registered, caseOpened(), f.surveyRequested()],
      when: commandFor(f.surveyRequested()),
      thenThrows: { code: 'SURVEY_REQUEST.ALREADY_RECORDED', kind: 'conflict' },
    });
  });

  it('accepts an answer that names its request, on the request scale', () => {
    const answer = f.surveyAnswered({ surveyType: 'csat', score: 4, requestId: 'request-1' });
    spec({
      given: [registered, caseOpened(), f.surveyRequested()],
      when: commandFor(answer),
      then: [answer],
    });
  });

  it('still accepts an answer without a request', () => {
    const answer = f.surveyAnswered({ surveyType: 'nps', score: 3 });
    spec({ given: [registered], when: commandFor(answer), then: [answer] });
  });

  it('refuses an answer naming an unknown request', () => {
    spec({
      given: [registered],
      when: commandFor(f.surveyAnswered({ surveyType: 'csat', score: 4, requestId: 'request-1' })),
      thenThrows: { code: 'SURVEY_REQUEST.UNKNOWN', details: [{ field: 'requestId' }] },
    });
  });

  it('refuses an answer on another scale than the request', () => {
    spec({
      given: [registered, caseOpened(), f.surveyRequested()],
      when: commandFor(f.surveyAnswered({ surveyType: 'nps', score: 9, requestId: 'request-1' })),
      thenThrows: { code: 'SURVEY_REQUEST.TYPE_MISMATCH', details: [{ field: 'surveyType' }] },
    });
  });

  it('refuses a second answer to one request (the response rate counts a request once)', () => {
    const first = f.surveyAnswered({ surveyType: 'csat', score: 4, requestId: 'request-1' });
    spec({
      given: [registered, caseOpened(), f.surveyRequested(), first],
      when: commandFor(f.surveyAnswered({ surveyType: 'csat', score: 5, requestId: 'request-1' })),
      thenThrows: { code: 'SURVEY_REQUEST.ALREADY_ANSWERED', kind: 'conflict' },
    });
  });
});

describe('service-level breaches (domain.md, "Automations": service level)', () => {
  it('records a breach of an opened case', () => {
    const breached = f.supportCaseSlaBreached();
    spec({ given: [registered, f.supportCaseOpened()], when: commandFor(breached), then: [breached] });
  });

  it('refuses a breach of a case never opened', () => {
    spec({
      given: [registered],
      when: commandFor(f.supportCaseSlaBreached()),
      thenThrows: 'SUPPORT_CASE.NOT_OPENED',
    });
  });

  it('refuses a second breach of one case', () => {
    spec({
      given: [registered, f.supportCaseOpened(), f.supportCaseSlaBreached()],
      when: commandFor(f.supportCaseSlaBreached()),
      thenThrows: { code: 'SUPPORT_CASE.SLA_ALREADY_BREACHED', kind: 'conflict' },
    });
  });

  it('refuses a breach without a valid due time', () => {
    spec({
      given: [registered, f.supportCaseOpened()],
      when: commandFor(f.supportCaseSlaBreached({ dueAt: 'soon' })),
      thenThrows: { code: 'INSTANT.INVALID', details: [{ field: 'dueAt' }] },
    });
  });

  it('carries automated events in RecordAutomatedEvent only', () => {
    spec({
      given: [registered, f.supportCaseOpened()],
      when: { type: 'RecordTouchpoint', event: f.supportCaseSlaBreached() as never },
      thenThrows: 'COMMAND.INVALID',
    });
  });
});

describe('evolve of the new facts', () => {
  it('folds follow-ups and requests the way the rules read them', () => {
    const state = evolveAll(initialState(), [
      registered,
      f.supportCaseOpened(),
      f.followUpScheduled(),
      f.followUpScheduled({ followUpId: 'follow-up-2' }),
      f.followUpCancelled({ followUpId: 'follow-up-2' }),
      f.surveyRequested(),
      f.surveyAnswered({ surveyType: 'csat', score: 5, requestId: 'request-1' }),
      f.supportCaseSlaBreached(),
    ]);
    expect(state.followUps).toEqual(
      new Map([
        ['follow-up-1', { open: true }],
        ['follow-up-2', { open: false }],
      ]),
    );
    expect(state.surveyRequests).toEqual(new Map([['request-1', { surveyType: 'csat', answered: true }]]));
    expect(state.supportCases.get('case-1')).toMatchObject({ opened: true, slaBreached: true });
  });
});
