import { newCustomerId, recordTouchpoint, registerCustomer } from './support/api';
import { eventually } from './support/admin';
import { TestApp } from './support/test-app';

type Overview = {
  name: string;
  enabled: boolean;
  checkpoint: number;
  head: number;
  lagEvents: number;
  paused: boolean;
  deadLetters: number;
  pendingDeadlines: number;
  lastError: string | null;
};
type StreamEvent = {
  type: string;
  eventId: string;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

const HOUR_MS = 3_600_000;

describe('automations in the embedded app (RUN_MODE=all, AUTOMATIONS=on)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ AUTOMATIONS: 'on' });
  });

  afterAll(async () => {
    await app.stop();
  });

  const overviews = async () =>
    (await app.get<{ automations: Overview[] }>('/admin/automations')).body.automations;
  const eventsOf = async (customerId: string) =>
    (await app.get<{ events: StreamEvent[] }>(`/customers/${customerId}/events`)).body.events;

  it('asks for feedback on a resolved case and breaches one left unanswered past its deadline, visible in the stream', async () => {
    const customerId = await registerCustomer(app, newCustomerId('auto'));
    const openedAt = new Date(Date.now() - 48 * HOUR_MS).toISOString();
    const opened = await recordTouchpoint(app, customerId, {
      type: 'SupportCaseOpened',
      caseId: 'old',
      subject: 'Nobody answers',
      priority: 'high',
      occurredAt: openedAt,
    });
    await recordTouchpoint(app, customerId, {
      type: 'SupportCaseOpened',
      caseId: 'fresh',
      subject: 'Just now',
    });
    await recordTouchpoint(app, customerId, {
      type: 'SupportCaseResolved',
      caseId: 'fresh',
      firstContact: true,
    });

    const events = await eventually(
      () => eventsOf(customerId),
      (all) => all.filter((e) => e.metadata.source === 'automations').length === 3,
    );
    const dueAt = new Date(Date.parse(openedAt) + HOUR_MS).toISOString();
    expect(events.find((e) => e.type === 'SupportCaseSlaBreached')).toMatchObject({
      occurredAt: dueAt,
      data: { caseId: 'old', dueAt },
      metadata: { causationId: opened.eventId, actor: 'automation:service-level', source: 'automations' },
    });
    expect(events.find((e) => e.type === 'FollowUpScheduled')?.data).toMatchObject({
      assignee: 'support',
      reason: 'First response overdue on case old',
      caseId: 'old',
    });
    expect(events.find((e) => e.type === 'SurveyRequested')?.data).toMatchObject({
      surveyType: 'csat',
      caseId: 'fresh',
    });

    const listed = await eventually(overviews, (all) => all.every((o) => o.lagEvents === 0));
    expect(listed.map((o) => o.name)).toEqual(['feedback', 'service-level']);
    expect(listed.find((o) => o.name === 'service-level')).toMatchObject({
      enabled: true,
      paused: false,
      deadLetters: 0,
      // The fresh case is due in four hours.
      pendingDeadlines: 1,
      lastError: null,
    });
  });

  it('pauses and resumes an automation; an unknown one is 404', async () => {
    const paused = await app.post<Overview>('/admin/automations/feedback/pause');
    expect(paused.statusCode).toBe(200);
    expect(paused.body).toMatchObject({ name: 'feedback', paused: true });
    expect((await overviews()).find((o) => o.name === 'feedback')?.paused).toBe(true);

    const customerId = await registerCustomer(app, newCustomerId('paused'));
    await recordTouchpoint(app, customerId, { type: 'SupportCaseOpened', caseId: 'p', subject: 'Paused' });
    await recordTouchpoint(app, customerId, { type: 'SupportCaseResolved', caseId: 'p', firstContact: true });
    // The service level (not paused) catches up past the resolution; the feedback stays behind it.
    await eventually(overviews, (all) => all.find((o) => o.name === 'service-level')?.lagEvents === 0);
    expect((await eventsOf(customerId)).map((e) => e.type)).not.toContain('SurveyRequested');

    const resumed = await app.post<Overview>('/admin/automations/feedback/resume');
    expect(resumed.body).toMatchObject({ paused: false });
    await eventually(
      () => eventsOf(customerId),
      (all) => all.some((e) => e.type === 'SurveyRequested'),
    );

    const unknown = await app.post<{ code: string }>('/admin/automations/nope/pause');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.code).toBe('AUTOMATION.NOT_FOUND');
  });

  it('lists dead letters (none here), refuses a bad filter and answers 404 for an unknown letter', async () => {
    const listed = await app.get<{ items: unknown[]; nextCursor: string | null }>(
      '/admin/automations/dead-letters?status=open&automation=feedback',
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.body).toEqual({ items: [], nextCursor: null });
    expect((await app.get('/admin/automations/dead-letters?status=lost')).statusCode).toBe(400);
    const retry = await app.post<{ code: string }>('/admin/automations/dead-letters/none/retry');
    expect([retry.statusCode, retry.body.code]).toEqual([404, 'DEAD_LETTER.NOT_FOUND']);
    const skip = await app.post<{ code: string }>('/admin/automations/dead-letters/none/skip');
    expect([skip.statusCode, skip.body.code]).toEqual([404, 'DEAD_LETTER.NOT_FOUND']);
  });

  it('exposes lag, dead letters, pending deadlines and pause as metrics', async () => {
    const metrics = await app.get<string>('/metrics');
    expect(metrics.body).toMatch(/crm_automation_lag_events\{automation="feedback"\} \d+/);
    expect(metrics.body).toContain('crm_automation_dead_letters{automation="service-level"} 0');
    expect(metrics.body).toMatch(/crm_automation_pending_deadlines\{automation="service-level"\} [1-9]/);
    expect(metrics.body).toContain('crm_automation_paused{automation="feedback"} 0');
    expect(metrics.body).toMatch(
      /crm_automation_outcomes_total\{automation="feedback",outcome="recorded"\} [1-9]/,
    );
  });
});

describe('automations off (AUTOMATIONS=off)', () => {
  it('records nothing, and the admin list says they are not enabled', async () => {
    const app = await TestApp.start({ AUTOMATIONS: 'off' });
    try {
      const customerId = await registerCustomer(app, newCustomerId('off'));
      await recordTouchpoint(app, customerId, { type: 'SupportCaseOpened', caseId: 'x', subject: 'Off' });
      await recordTouchpoint(app, customerId, {
        type: 'SupportCaseResolved',
        caseId: 'x',
        firstContact: true,
      });
      const listed = await app.get<{ automations: Overview[] }>('/admin/automations');
      expect(listed.body.automations.map((o) => [o.name, o.enabled, o.checkpoint])).toEqual([
        ['feedback', false, 0],
        ['service-level', false, 0],
      ]);
      const events = await app.get<{ events: StreamEvent[] }>(`/customers/${customerId}/events`);
      expect(events.body.events.map((e) => e.type)).toEqual([
        'CustomerRegistered',
        'SupportCaseOpened',
        'SupportCaseResolved',
      ]);
    } finally {
      await app.stop();
    }
  });
});
