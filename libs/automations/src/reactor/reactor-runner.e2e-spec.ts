import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventFactory } from '@crm/domain/testing';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { feedbackReactor } from '../feedback/feedback.reactor';
import { automatedEventId, RULES } from '../ids/automation-ids';
import { ControlledClock, ReactorHarness } from '../testing/reactor-harness';
import { checkpointOf } from './reactor.documents';
import { ReactorRunner } from './reactor-runner';

const OPENED_AT = '2026-03-02T10:00:00.000Z';
/** A normal-priority case opened at OPENED_AT is due 240 minutes later. */
const DUE_AT = '2026-03-02T14:00:00.000Z';

const automated = (log: readonly RecordedEvent[]) =>
  log.filter((e) => e.metadata.source === 'automations').map((e) => ({ type: e.type, eventId: e.eventId }));

describe('reactors on the log, with a controlled clock', () => {
  let dir: string;
  let clock: ControlledClock;
  let h: ReactorHarness;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-reactors-'));
    clock = new ControlledClock(OPENED_AT);
    h = await ReactorHarness.open(dir, clock);
  });

  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let seed = 0;

  /** A registered customer with case c-1 opened at OPENED_AT (normal priority); the opening event. */
  async function openCase(customerId: string, priority?: string) {
    const f = createEventFactory({ customerId, seed: ++seed });
    const opened = f.supportCaseOpened(
      { caseId: 'c-1', ...(priority === undefined ? {} : { priority }) },
      { occurredAt: OPENED_AT, metadata: { correlationId: `corr-${customerId}` } },
    );
    await h.record(customerId, f.customerRegistered({}, { occurredAt: '2026-03-01T00:00:00.000Z' }), opened);
    return { f, opened };
  }

  it('records no breach for a case answered in time, and the deadline reads met', async () => {
    const { f } = await openCase('answered');
    await h.record(
      'answered',
      f.supportCaseResponded({ caseId: 'c-1' }, { occurredAt: '2026-03-02T13:59:00.000Z' }),
    );
    await h.drain();
    clock.set('2026-03-03T00:00:00.000Z');
    await h.drain();

    expect(automated(await h.log())).toEqual([]);
    const [overview] = (await h.admin().all()).filter((o) => o.name === 'service-level');
    expect(overview).toMatchObject({ pendingDeadlines: 0, deadLetters: 0, lagEvents: 0 });
  });

  it('breaches an unanswered case at its due time, not a millisecond before, with the follow-up for the owner queue', async () => {
    const { opened } = await openCase('silent');
    await h.drain();
    clock.set('2026-03-02T13:59:59.999Z');
    await h.drain();
    expect(automated(await h.log())).toEqual([]);

    clock.set(DUE_AT);
    await h.drain();

    const log = await h.log();
    const breachId = automatedEventId(opened.eventId, RULES.breach);
    const followUpId = automatedEventId(opened.eventId, RULES.followUp);
    const metadata = {
      causationId: opened.eventId,
      correlationId: 'corr-silent',
      actor: 'automation:service-level',
      source: 'automations',
    };
    expect(log.filter((e) => e.metadata.source === 'automations')).toEqual([
      expect.objectContaining({
        type: 'SupportCaseSlaBreached',
        eventId: breachId,
        streamId: 'customer-silent',
        occurredAt: DUE_AT,
        data: { caseId: 'c-1', dueAt: DUE_AT },
        metadata,
      }),
      expect.objectContaining({
        type: 'FollowUpScheduled',
        eventId: followUpId,
        occurredAt: DUE_AT,
        data: {
          followUpId,
          assignee: 'support',
          dueAt: DUE_AT,
          reason: 'First response overdue on case c-1',
          caseId: 'c-1',
        },
        metadata,
      }),
    ]);
  });

  it('breaches a case whose only response came after the due time', async () => {
    const { f } = await openCase('late', 'high');
    await h.record(
      'late',
      f.supportCaseResponded({ caseId: 'c-1' }, { occurredAt: '2026-03-02T11:00:00.001Z' }),
    );
    clock.set('2026-03-02T12:00:00.000Z');
    await h.drain();

    expect(automated(await h.log()).map((e) => e.type)).toEqual([
      'SupportCaseSlaBreached',
      'FollowUpScheduled',
    ]);
  });

  it('asks once for feedback on a resolved case, however often it runs', async () => {
    const { f } = await openCase('resolved');
    await h.record(
      'resolved',
      f.supportCaseResponded({ caseId: 'c-1' }, { occurredAt: '2026-03-02T10:05:00.000Z' }),
      f.supportCaseResolved({ caseId: 'c-1' }, { occurredAt: '2026-03-02T11:00:00.000Z' }),
    );
    await h.drain();
    await h.drain();

    const requests = (await h.log()).filter((e) => e.type === 'SurveyRequested');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      occurredAt: '2026-03-02T11:00:00.000Z',
      data: { surveyType: 'csat', caseId: 'c-1' },
    });
  });

  it('replayed from checkpoint 0, records nothing twice', async () => {
    const { f } = await openCase('replayed');
    await h.record(
      'replayed',
      f.supportCaseResolved({ caseId: 'c-1' }, { occurredAt: '2026-03-02T16:00:00.000Z' }),
    );
    clock.set('2026-03-03T00:00:00.000Z');
    await h.drain();
    const before = await h.log();
    expect(
      automated(before)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['FollowUpScheduled', 'SupportCaseSlaBreached', 'SurveyRequested']);

    for (const reactor of h.reactors) await h.readStore.resetProjection(checkpointOf(reactor.name), []);
    expect(await h.store.checkpoint('feedback')).toBe(0);
    await h.drain();

    expect(await h.log()).toEqual(before);
    expect(await h.store.checkpoint('feedback')).toBe(await h.events.headPosition());
  });

  it('catches up after downtime: deadlines that passed while nothing ran fire on start', async () => {
    await openCase('down-silent');
    const { f } = await openCase('down-answered');
    await h.record(
      'down-answered',
      f.supportCaseResponded({ caseId: 'c-1' }, { occurredAt: '2026-03-02T12:00:00.000Z' }),
    );
    // Nothing ran while the cases were opened and their deadlines passed.
    clock.set('2026-03-05T00:00:00.000Z');
    await h.drain();

    const breaches = (await h.log()).filter((e) => e.type === 'SupportCaseSlaBreached');
    expect(breaches.map((e) => [e.streamId, e.occurredAt])).toEqual([['customer-down-silent', DUE_AT]]);
  });

  it('skips a customer erased or merged before the deadline, with no dead letter', async () => {
    const erased = await openCase('gone');
    const merged = await openCase('merged');
    await h.record(
      'survivor',
      createEventFactory({ customerId: 'survivor', seed: 999 }).customerRegistered(),
    );
    await h.drain();
    await h.record('gone', erased.f.customerErased());
    const sides = { survivorId: 'survivor', mergedId: 'merged' };
    await h.customers.merge({
      survivor: createEventFactory({ customerId: 'survivor', seed: 998 }).customersMerged(sides),
      merged: merged.f.customersMerged(sides),
    });
    clock.set('2026-03-05T00:00:00.000Z');
    await h.drain();

    expect(automated(await h.log())).toEqual([]);
    const overview = (await h.admin().all()).find((o) => o.name === 'service-level');
    expect(overview).toMatchObject({ pendingDeadlines: 0, deadLetters: 0 });
    expect((await h.store.deadline(`service-level:${erased.opened.eventId}`))?.status).toBe('skipped');
  });

  it('dead-letters a refused trigger and keeps the others flowing; retry fails again, skip accepts it', async () => {
    // A resolution the decider never saw (appended straight to the store): its survey request is refused.
    const stray = createEventFactory({ customerId: 'stray', seed: 555 });
    await h.record('stray', stray.customerRegistered());
    const orphan = stray.supportCaseResolved({ caseId: 'never-opened' });
    await h.events.append('customer-stray', [orphan]);
    const { f } = await openCase('fine');
    await h.record(
      'fine',
      f.supportCaseResolved({ caseId: 'c-1' }, { occurredAt: '2026-03-02T10:30:00.000Z' }),
    );
    await h.drain();

    expect((await h.log()).filter((e) => e.type === 'SurveyRequested').map((e) => e.streamId)).toEqual([
      'customer-fine',
    ]);
    const admin = h.admin();
    const page = await admin.deadLetters({ limit: 10 });
    expect(page.items).toEqual([
      expect.objectContaining({
        id: `feedback:trigger:${orphan.eventId}`,
        reactor: 'feedback',
        phase: 'trigger',
        customerId: 'stray',
        code: 'SUPPORT_CASE.NOT_OPENED',
        status: 'open',
        attempts: 1,
      }),
    ]);
    expect((await admin.one('feedback')).lastError).toContain('SUPPORT_CASE.NOT_OPENED');

    const id = `feedback:trigger:${orphan.eventId}`;
    await expect(admin.retry(id)).rejects.toMatchObject({ code: 'DEAD_LETTER.RETRY_FAILED' });
    expect(await h.store.deadLetter(id)).toMatchObject({ status: 'open', attempts: 2 });
    expect(await admin.skip(id)).toMatchObject({ status: 'skipped' });
    expect((await admin.one('feedback')).deadLetters).toBe(0);
    await expect(admin.skip(id)).rejects.toMatchObject({ code: 'DEAD_LETTER.NOT_OPEN' });
  });

  it('dead-letters a deadline whose breach is refused; a retry while it still is refused fails again', async () => {
    const { f, opened } = await openCase('prebreached');
    // Someone else recorded a breach of this case under another id: ours is refused.
    const foreign = f.supportCaseSlaBreached({ caseId: 'c-1', dueAt: DUE_AT }, { occurredAt: DUE_AT });
    await h.record('prebreached', foreign);
    clock.set('2026-03-03T00:00:00.000Z');
    await h.drain();

    const id = `service-level:deadline:${opened.eventId}`;
    expect(await h.store.deadLetter(id)).toMatchObject({
      code: 'SUPPORT_CASE.SLA_ALREADY_BREACHED',
      status: 'open',
    });
    expect((await h.store.deadline(`service-level:${opened.eventId}`))?.status).toBe('dead-lettered');
    await expect(h.admin().retry(id)).rejects.toMatchObject({ code: 'DEAD_LETTER.RETRY_FAILED' });
  });

  it('pauses and resumes through its state: a paused runner leaves the log alone', async () => {
    const admin = h.admin();
    expect(await admin.pause('feedback')).toMatchObject({ paused: true });
    const { f } = await openCase('paused');
    await h.record(
      'paused',
      f.supportCaseResolved({ caseId: 'c-1' }, { occurredAt: '2026-03-02T10:30:00.000Z' }),
    );
    const [feedback] = h.runners({ pollMs: 5 });
    const stop = new AbortController();
    const running = feedback?.run(stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await h.log()).filter((e) => e.type === 'SurveyRequested')).toEqual([]);

    expect(await admin.resume('feedback')).toMatchObject({ paused: false });
    for (let i = 0; i < 200 && (await admin.one('feedback')).lagEvents > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    await running;
    expect((await h.log()).filter((e) => e.type === 'SurveyRequested')).toHaveLength(1);
  });

  it('notes a failure of the log as its last error and goes on from its checkpoint once it answers', async () => {
    const { f } = await openCase('flaky');
    await h.record(
      'flaky',
      f.supportCaseResolved({ caseId: 'c-1' }, { occurredAt: '2026-03-02T10:30:00.000Z' }),
    );
    let failures = 2;
    const flaky: EventStore = Object.create(h.events) as EventStore;
    flaky.readAll = (options) =>
      failures-- > 0 ? Promise.reject(new Error('log unreachable')) : h.events.readAll(options);
    const feedback = new ReactorRunner(
      feedbackReactor(),
      { events: flaky, store: h.store, recorder: h.recorder, clock },
      { pollMs: 5 },
    );
    const stop = new AbortController();
    const running = feedback.run(stop.signal);
    for (let i = 0; i < 400 && (await h.admin().one('feedback')).lagEvents > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    await running;

    expect(failures).toBeLessThan(0);
    expect(await h.admin().one('feedback')).toMatchObject({
      lagEvents: 0,
      lastError: 'log unreachable',
      lastErrorAt: clock.now().toISOString(),
    });
    expect((await h.log()).filter((e) => e.type === 'SurveyRequested')).toHaveLength(1);
  });

  it('retries a dead letter once its cause is gone: the events are recorded, the letter and the deadline settle', async () => {
    // A case opened (straight in the store) for a customer not registered yet: the breach is refused.
    const early = createEventFactory({ customerId: 'early', seed: 777 });
    const opened = early.supportCaseOpened({ caseId: 'c-1' }, { occurredAt: OPENED_AT });
    await h.events.append('customer-early', [opened]);
    clock.set('2026-03-03T00:00:00.000Z');
    await h.drain();
    const id = `service-level:deadline:${opened.eventId}`;
    expect(await h.store.deadLetter(id)).toMatchObject({ code: 'CUSTOMER.NOT_FOUND', status: 'open' });

    await h.record('early', early.customerRegistered({}, { occurredAt: '2026-03-02T12:00:00.000Z' }));
    const admin = h.admin();
    expect(await admin.retry(id)).toMatchObject({ status: 'retried', attempts: 1 });

    expect(automated(await h.log())).toEqual([
      { type: 'SupportCaseSlaBreached', eventId: automatedEventId(opened.eventId, RULES.breach) },
      { type: 'FollowUpScheduled', eventId: automatedEventId(opened.eventId, RULES.followUp) },
    ]);
    expect((await h.store.deadline(`service-level:${opened.eventId}`))?.status).toBe('fired');
    expect((await admin.one('service-level')).deadLetters).toBe(0);
    await expect(admin.retry(id)).rejects.toMatchObject({ code: 'DEAD_LETTER.ALREADY_RETRIED' });
    await h.drain();
    expect(automated(await h.log())).toHaveLength(2);
  });
});
