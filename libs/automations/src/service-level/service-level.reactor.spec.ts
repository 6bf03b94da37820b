import { createEventFactory } from '@crm/domain/testing';
import { automatedEventId, RULES } from '../ids/automation-ids';
import { reactorEvents } from '../reactor/recorder';
import { recorded } from '../testing/recorded';
import {
  answeredInTime,
  firstResponseDueAt,
  firstResponseMinutes,
  serviceLevelReactor,
  type ServiceLevelSettings,
} from './service-level.reactor';

const SETTINGS: ServiceLevelSettings = {
  firstResponseMinutes: { high: 60, normal: 240, low: 1440 },
  ownerQueue: 'support',
};
const OPENED_AT = '2026-03-02T10:00:00.000Z';

describe('service level: first-response deadline', () => {
  it.each([
    ['high', 60],
    ['normal', 240],
    ['low', 1440],
    [undefined, 240],
    ['urgent', 240],
    ['HIGH', 240],
  ])('priority %s gives %i minutes (missing or unknown: normal)', (priority, minutes) => {
    expect(firstResponseMinutes(priority, SETTINGS)).toBe(minutes);
    expect(firstResponseDueAt(OPENED_AT, priority, SETTINGS)).toBe(
      new Date(Date.parse(OPENED_AT) + minutes * 60_000).toISOString(),
    );
  });

  it('follows the configured minutes', () => {
    const settings = { ...SETTINGS, firstResponseMinutes: { high: 5, normal: 10, low: 20 } };

    expect(firstResponseDueAt(OPENED_AT, 'low', settings)).toBe('2026-03-02T10:20:00.000Z');
  });

  it('keeps one deadline per opened case, due at opening + minutes, and records nothing yet', () => {
    const f = createEventFactory();
    const opened = f.supportCaseOpened({ caseId: 'c-7', priority: 'high' }, { occurredAt: OPENED_AT });

    expect(serviceLevelReactor(SETTINGS).react(recorded(opened))).toEqual({
      record: [],
      schedule: [{ subject: 'c-7', dueAt: '2026-03-02T11:00:00.000Z' }],
    });
  });

  it('ignores events it does not follow', () => {
    const f = createEventFactory();

    expect(serviceLevelReactor(SETTINGS).react(recorded(f.supportCaseResolved()))).toEqual({
      record: [],
      schedule: [],
    });
  });
});

describe('service level: is the case answered by its due time?', () => {
  const dueAt = '2026-03-02T11:00:00.000Z';
  const f = createEventFactory();
  const respondedAt = (occurredAt: string, caseId = 'c-7') =>
    recorded(f.supportCaseResponded({ caseId }, { occurredAt }));

  it('a response before the due time counts', () => {
    expect(answeredInTime('c-7', dueAt, [respondedAt('2026-03-02T10:30:00.000Z')])).toBe(true);
  });

  it('a response exactly at the due time counts', () => {
    expect(answeredInTime('c-7', dueAt, [respondedAt(dueAt)])).toBe(true);
  });

  it('a response after the due time does not prevent the breach', () => {
    expect(answeredInTime('c-7', dueAt, [respondedAt('2026-03-02T11:00:00.001Z')])).toBe(false);
  });

  it("another case's response does not count, nor does a resolution without response", () => {
    const resolved = recorded(
      f.supportCaseResolved({ caseId: 'c-7' }, { occurredAt: '2026-03-02T10:10:00.000Z' }),
    );

    expect(answeredInTime('c-7', dueAt, [respondedAt('2026-03-02T10:30:00.000Z', 'c-8'), resolved])).toBe(
      false,
    );
  });
});

describe('service level: a due deadline', () => {
  const trigger = '3f1c2b9e-8d4a-4c6b-9e2f-1a2b3c4d5e6f';
  const deadline = { triggerEventId: trigger, subject: 'c-7', dueAt: '2026-03-02T11:00:00.000Z' };
  const reactor = serviceLevelReactor(SETTINGS);
  const fire = reactor.fire ?? (() => []);

  it('records nothing for a case answered in time', () => {
    const f = createEventFactory();
    const answered = recorded(
      f.supportCaseResponded({ caseId: 'c-7' }, { occurredAt: '2026-03-02T10:59:00.000Z' }),
    );

    expect(fire(deadline, [answered])).toEqual([]);
  });

  it('records the breach at the due time and a follow-up for the owner queue, ids derived from the opening', () => {
    const intents = fire(deadline, []);
    const events = reactorEvents(
      'service-level',
      { eventId: trigger, correlationId: 'corr-1', streamId: 'customer-cust-1' },
      intents,
    );
    const metadata = {
      causationId: trigger,
      correlationId: 'corr-1',
      actor: 'automation:service-level',
      source: 'automations',
    };

    expect(events).toEqual([
      {
        type: 'SupportCaseSlaBreached',
        version: 1,
        eventId: automatedEventId(trigger, RULES.breach),
        occurredAt: '2026-03-02T11:00:00.000Z',
        data: { caseId: 'c-7', dueAt: '2026-03-02T11:00:00.000Z' },
        metadata,
      },
      {
        type: 'FollowUpScheduled',
        version: 1,
        eventId: automatedEventId(trigger, RULES.followUp),
        occurredAt: '2026-03-02T11:00:00.000Z',
        data: {
          followUpId: automatedEventId(trigger, RULES.followUp),
          assignee: 'support',
          dueAt: '2026-03-02T11:00:00.000Z',
          reason: 'First response overdue on case c-7',
          caseId: 'c-7',
        },
        metadata,
      },
    ]);
  });
});
