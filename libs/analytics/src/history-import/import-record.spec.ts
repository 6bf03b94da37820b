import type { EventMetadata } from '@crm/domain';
import { ImportRecordValidator } from './import-record';

const metadata: EventMetadata = {
  correlationId: 'import-1',
  causationId: null,
  actor: 'import',
  source: 'import',
};
const validator = new ImportRecordValidator(
  { now: () => new Date('2026-01-01T00:00:00Z') },
  { maxClockSkewMs: 0 },
  metadata,
);
const line = (type: string, data: Record<string, unknown>) =>
  validator.validate({ customerId: 'c-1', type, occurredAt: '2025-06-01T10:00:00Z', data });

describe('ImportRecordValidator, for what is not imported', () => {
  it.each([
    [
      'FollowUpScheduled',
      { followUpId: 'f-1', assignee: 'a', dueAt: '2025-06-02T10:00:00Z', reason: 'r' },
      'follow-ups',
    ],
    ['FollowUpCompleted', { followUpId: 'f-1', outcome: 'done' }, 'follow-ups'],
    ['SurveyRequested', { requestId: 'r-1', surveyType: 'csat', caseId: 'c-1' }, 'automations'],
    ['SupportCaseSlaBreached', { caseId: 'c-1', dueAt: '2025-06-02T10:00:00Z' }, 'automations'],
  ])('refuses a %s line, saying where it is recorded instead', (type, data, where) => {
    const candidate = line(type, data);

    expect(candidate).toEqual({
      ok: false,
      customerId: 'c-1',
      details: [{ field: 'type', code: 'notImportable', message: expect.stringContaining(where) as string }],
    });
  });

  it('imports a survey answer naming its request (the decider checks the request exists)', () => {
    const candidate = line('SurveyAnswered', { surveyType: 'csat', score: 4, requestId: 'r-1' });

    expect(candidate.ok && candidate.event.data).toEqual({ surveyType: 'csat', score: 4, requestId: 'r-1' });
  });
});
