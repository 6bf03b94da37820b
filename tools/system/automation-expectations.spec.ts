import { automationKpiInputs, checkAutomations, type LoggedEvent, uuidV5 } from './automation-expectations';

const NAMESPACE = '0d6f3c1e-7a4b-5e29-9c3d-8b1f2a6e4c57';
const STREAM = 'customer-c1';

function logged(
  eventId: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): LoggedEvent {
  return { eventId, streamId: STREAM, type, occurredAt, data, metadata };
}

function automated(trigger: string, rule: string): string {
  return uuidV5(`${trigger}/${rule}`, NAMESPACE);
}

const OPENED = logged(
  '00000000-0000-4000-8000-000000000001',
  'SupportCaseOpened',
  '2025-01-01T10:00:00.000Z',
  {
    caseId: 'k1',
    subject: 'Late',
    priority: 'high',
  },
);
const RESOLVED = logged(
  '00000000-0000-4000-8000-000000000002',
  'SupportCaseResolved',
  '2025-01-03T10:00:00.000Z',
  {
    caseId: 'k1',
    firstContact: false,
  },
);
const AS_OF = Date.parse('2026-01-01T00:00:00.000Z');

function survey(): LoggedEvent {
  const id = automated(RESOLVED.eventId, 'feedback.survey-request');
  return logged(
    id,
    'SurveyRequested',
    RESOLVED.occurredAt,
    { requestId: id, surveyType: 'csat', caseId: 'k1' },
    { causationId: RESOLVED.eventId, source: 'automations' },
  );
}

function breach(dueAt: string): LoggedEvent[] {
  const meta = { causationId: OPENED.eventId, source: 'automations' };
  const followUpId = automated(OPENED.eventId, 'service-level.follow-up');
  return [
    logged(
      automated(OPENED.eventId, 'service-level.breach'),
      'SupportCaseSlaBreached',
      dueAt,
      { caseId: 'k1', dueAt },
      meta,
    ),
    logged(
      followUpId,
      'FollowUpScheduled',
      dueAt,
      { followUpId, assignee: 'support', dueAt, reason: 'First response overdue on case k1', caseId: 'k1' },
      meta,
    ),
  ];
}

describe('checkAutomations', () => {
  it('derives ids as UUID v5 (the published example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('accepts an unanswered high-priority case breached at opening + 60 minutes, and a survey per resolution', () => {
    const check = checkAutomations(
      [OPENED, RESOLVED, ...breach('2025-01-01T11:00:00.000Z'), survey()],
      AS_OF,
    );

    expect(check).toMatchObject({
      expected: 3,
      missing: [],
      mismatched: [],
      unexpected: [],
      duplicateIds: [],
    });
    expect(check.outcomes).toEqual({
      resolved: 1,
      answeredInTime: 0,
      answeredLate: 0,
      unanswered: 1,
      notYetDue: 0,
    });
  });

  it('reports a breach whose dueAt does not follow the priority as mismatched', () => {
    const check = checkAutomations([OPENED, ...breach('2025-01-01T14:00:00.000Z')], AS_OF);

    expect(check.mismatched.map((m) => m.expected.type)).toEqual([
      'SupportCaseSlaBreached',
      'FollowUpScheduled',
    ]);
  });

  it('calls for no breach of a case answered at its deadline, and reports one that was recorded', () => {
    const answered = logged(
      '00000000-0000-4000-8000-000000000003',
      'SupportCaseResponded',
      '2025-01-01T11:00:00.000Z',
      {
        caseId: 'k1',
      },
    );
    const check = checkAutomations([OPENED, answered, ...breach('2025-01-01T11:00:00.000Z')], AS_OF);

    expect(check.outcomes.answeredInTime).toBe(1);
    expect(check.expected).toBe(0);
    expect(check.unexpected).toHaveLength(2);
  });

  it('calls for the breach of a case answered after its deadline', () => {
    const late = logged(
      '00000000-0000-4000-8000-000000000003',
      'SupportCaseResponded',
      '2025-01-01T11:00:00.001Z',
      {
        caseId: 'k1',
      },
    );
    const check = checkAutomations([OPENED, late], AS_OF);

    expect(check.outcomes.answeredLate).toBe(1);
    expect(check.missing.map((event) => event.type)).toEqual(['SupportCaseSlaBreached', 'FollowUpScheduled']);
  });

  it('calls for nothing before the deadline is due, and reports a missing survey and a repeated id', () => {
    const check = checkAutomations([OPENED, RESOLVED, RESOLVED], Date.parse('2025-01-01T10:59:59.999Z'));

    expect(check.outcomes.notYetDue).toBe(1);
    expect(check.missing.map((event) => event.type)).toEqual(['SurveyRequested', 'SurveyRequested']);
    expect(check.duplicateIds).toEqual([RESOLVED.eventId]);
  });

  it('counts the cases opened in a period and those breached, and the survey requests in it', () => {
    const later = logged(
      '00000000-0000-4000-8000-000000000009',
      'SupportCaseOpened',
      '2025-02-01T10:00:00.000Z',
      {
        caseId: 'k2',
        subject: 'Late',
      },
    );
    const log = [OPENED, later, RESOLVED, ...breach('2025-01-01T11:00:00.000Z'), survey()];

    expect(automationKpiInputs(log, '2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z')).toEqual({
      casesOpened: 2,
      casesBreached: 1,
      surveyRequests: 1,
      requestsAnswered: 0,
    });
    expect(automationKpiInputs(log, '2025-01-02T00:00:00.000Z', '2025-03-01T00:00:00.000Z')).toMatchObject({
      casesOpened: 1,
      casesBreached: 0,
      surveyRequests: 1,
    });
  });
});
