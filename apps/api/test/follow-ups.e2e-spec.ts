import { randomUUID } from 'node:crypto';
import {
  type BatchBody,
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectUnchanged,
  IDEMPOTENT_REPLAY_HEADER,
  newCustomerId,
  readEvents,
  recordTouchpoint,
  registerCustomer,
  streamSnapshot,
} from './support/api';
import { journeyOf, kpisOf, queryString, readOk, registerAt, scoresOf } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(30_000);

type FollowUpRecordedBody = {
  readonly customerId: string;
  readonly followUpId: string;
  readonly eventId: string;
  readonly type: string;
  readonly streamRevision: number;
  readonly globalPosition: number;
};

type WorklistItemBody = {
  readonly followUpId: string;
  readonly customerId: string;
  readonly assignee: string;
  readonly dueAt: string;
  readonly scheduledAt: string;
  readonly caseId: string | null;
  readonly status: 'open' | 'overdue';
};

type WorklistBody = {
  readonly items: readonly WorklistItemBody[];
  readonly next: string | null;
  readonly meta: { readonly position: number; readonly asOf: string };
};

type ProfileBody = { readonly openFollowUps: readonly WorklistItemBody[] };

const followUpsPath = (customerId: string, suffix = '') => customerPath(customerId, `/follow-ups${suffix}`);
/** An assignee no other test uses, so worklists of one shared app do not mix. */
const newAssignee = () => `agent-${randomUUID().slice(0, 8)}`;

describe('follow-ups', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  async function schedule(customerId: string, body: Record<string, unknown>): Promise<FollowUpRecordedBody> {
    const response = await app.post<FollowUpRecordedBody | ErrorResponseBody>(followUpsPath(customerId), {
      reason: 'Call back about the renewal',
      ...body,
    });
    if (response.statusCode !== 201)
      throw new Error(`Scheduling failed: ${response.statusCode} ${JSON.stringify(response.body)}`);
    return response.body as FollowUpRecordedBody;
  }

  async function act(
    customerId: string,
    followUpId: string,
    action: 'reassign' | 'complete' | 'cancel',
    body: Record<string, unknown> = {},
  ) {
    return app.post<FollowUpRecordedBody | ErrorResponseBody>(
      followUpsPath(customerId, `/${followUpId}/${action}`),
      body,
    );
  }

  function worklist(params: Record<string, string | number | undefined>): Promise<WorklistBody> {
    return readOk<WorklistBody>(app, `/follow-ups${queryString(params)}`);
  }

  describe('POST /customers/:id/follow-ups', () => {
    it('schedules a follow-up with a generated id (the eventId), dueAt stored in UTC, the reason encrypted in the stream', async () => {
      const customerId = await registerCustomer(app);

      const response = await app.post<FollowUpRecordedBody>(followUpsPath(customerId), {
        assignee: 'agent-7',
        dueAt: '2026-03-02T11:00:00+02:00',
        reason: 'Call back about the renewal',
      });

      expect(response.statusCode).toBe(201);
      expect(response.body).toMatchObject({ customerId, type: 'FollowUpScheduled', streamRevision: 1 });
      expect(response.body.followUpId).toBe(response.body.eventId);
      const { events } = await readEvents(app, customerId);
      expect(events[1]?.data).toEqual({
        followUpId: response.body.followUpId,
        assignee: 'agent-7',
        dueAt: '2026-03-02T09:00:00.000Z',
        reason: 'Call back about the renewal',
      });
    });

    it('is idempotent on eventId: the retry answers the same follow-up and writes nothing', async () => {
      const customerId = await registerCustomer(app);
      const body = { eventId: randomUUID(), assignee: 'agent-7', dueAt: '2026-03-02T09:00:00Z', reason: 'x' };
      const first = await app.post<FollowUpRecordedBody>(followUpsPath(customerId), body);

      const again = await app.post<FollowUpRecordedBody>(followUpsPath(customerId), body);

      expect(again.statusCode).toBe(201);
      expect(again.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await readEvents(app, customerId)).events).toHaveLength(2);
    });

    it.each<[string, Record<string, unknown>, string, string]>([
      ['without dueAt', { assignee: 'a', reason: 'r' }, 'dueAt', 'isString'],
      [
        'with a dueAt without offset',
        { assignee: 'a', reason: 'r', dueAt: '2026-03-02T09:00:00' },
        'dueAt',
        'missingOffset',
      ],
      [
        'with an impossible dueAt',
        { assignee: 'a', reason: 'r', dueAt: '2026-02-31T09:00:00Z' },
        'dueAt',
        'isRfc3339',
      ],
      ['without assignee', { reason: 'r', dueAt: '2026-03-02T09:00:00Z' }, 'assignee', 'isString'],
      [
        'with a blank assignee',
        { assignee: '   ', reason: 'r', dueAt: '2026-03-02T09:00:00Z' },
        'assignee',
        'isVisibleText',
      ],
      ['without reason', { assignee: 'a', dueAt: '2026-03-02T09:00:00Z' }, 'reason', 'isString'],
      [
        'with a followUpId holding a slash',
        { followUpId: 'a/b', assignee: 'a', reason: 'r', dueAt: '2026-03-02T09:00:00Z' },
        'followUpId',
        'matches',
      ],
      [
        'with an unknown field',
        { assignee: 'a', reason: 'r', dueAt: '2026-03-02T09:00:00Z', priority: 1 },
        'priority',
        'whitelistValidation',
      ],
    ])(
      'refuses a body %s with 400 naming the field, and writes nothing',
      async (_label, body, field, code) => {
        const customerId = await registerCustomer(app);
        const before = await streamSnapshot(app, customerId);

        const response = await app.post(followUpsPath(customerId), body);

        const error = expectError(response, 400, 'VALIDATION.FAILED');
        expect(error.details).toContainEqual(expect.objectContaining({ field, code }));
        await expectUnchanged(app, customerId, before);
      },
    );

    it('refuses a customer never registered (404), and a case the customer never opened (422)', async () => {
      const body = { assignee: 'a', reason: 'r', dueAt: '2026-03-02T09:00:00Z' };
      expectError(await app.post(followUpsPath(newCustomerId()), body), 404, 'CUSTOMER.NOT_FOUND');
      const customerId = await registerCustomer(app);
      const response = await app.post(followUpsPath(customerId), { ...body, caseId: 'case-9' });
      expect(expectError(response, 422, 'SUPPORT_CASE.NOT_OPENED').details[0]?.field).toBe('caseId');
    });

    it('refuses the same followUpId twice with 409 FOLLOW_UP.ALREADY_SCHEDULED', async () => {
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-1', assignee: 'a', dueAt: '2026-03-02T09:00:00Z' });

      const response = await app.post(followUpsPath(customerId), {
        followUpId: 'f-1',
        assignee: 'b',
        reason: 'r',
        dueAt: '2026-03-02T09:00:00Z',
      });

      expectError(response, 409, 'FOLLOW_UP.ALREADY_SCHEDULED');
    });
  });

  describe('reassign, complete, cancel', () => {
    it.each(['reassign', 'complete', 'cancel'] as const)(
      '%s: refuses an unknown follow-up with 422 FOLLOW_UP.UNKNOWN and writes nothing',
      async (action) => {
        const customerId = await registerCustomer(app);
        const before = await streamSnapshot(app, customerId);
        const body = { reassign: { assignee: 'b' }, complete: { outcome: 'done' }, cancel: {} }[action];

        const response = await act(customerId, 'nope', action, body);

        expect(expectError(response, 422, 'FOLLOW_UP.UNKNOWN').details[0]?.field).toBe('followUpId');
        await expectUnchanged(app, customerId, before);
      },
    );

    it('refuses reassigning, completing or cancelling a closed follow-up with 409 FOLLOW_UP.CLOSED', async () => {
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-1', assignee: 'a', dueAt: '2026-03-02T09:00:00Z' });
      expect((await act(customerId, 'f-1', 'complete', { outcome: 'Renewed' })).statusCode).toBe(201);

      expectError(await act(customerId, 'f-1', 'complete', { outcome: 'again' }), 409, 'FOLLOW_UP.CLOSED');
      expectError(await act(customerId, 'f-1', 'cancel'), 409, 'FOLLOW_UP.CLOSED');
      expectError(await act(customerId, 'f-1', 'reassign', { assignee: 'b' }), 409, 'FOLLOW_UP.CLOSED');
    });

    it('refuses a completion without outcome (400) and a bad followUpId in the path (400)', async () => {
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-1', assignee: 'a', dueAt: '2026-03-02T09:00:00Z' });

      const noOutcome = expectError(await act(customerId, 'f-1', 'complete'), 400, 'VALIDATION.FAILED');
      expect(noOutcome.details.map((detail) => detail.field)).toContain('outcome');
      const badId = expectError(await act(customerId, 'f%20x', 'cancel'), 400, 'VALIDATION.FAILED');
      expect(badId.details[0]?.field).toBe('followUpId');
    });

    it('honours expectedRevision like the other writes', async () => {
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-1', assignee: 'a', dueAt: '2026-03-02T09:00:00Z' });

      const stale = await act(customerId, 'f-1', 'cancel', { expectedRevision: 0 });

      expectError(stale, 409, 'EVENT_STORE.WRONG_EXPECTED_REVISION');
      expect((await act(customerId, 'f-1', 'cancel', { expectedRevision: 1 })).statusCode).toBe(201);
    });
  });

  describe('GET /follow-ups', () => {
    it('lists open follow-ups by dueAt (ties by followUpId), overdue ones judged at asOf', async () => {
      const assignee = newAssignee();
      const ann = await registerCustomer(app);
      const bob = await registerCustomer(app);
      await schedule(ann, { followUpId: 'f-b', assignee, dueAt: '2026-03-02T09:00:00Z' });
      await schedule(bob, {
        followUpId: 'f-a',
        assignee,
        dueAt: '2026-03-02T09:00:00Z',
        occurredAt: '2026-02-01T00:00:00Z',
      });
      await schedule(ann, { followUpId: 'f-late', assignee, dueAt: '2026-03-05T09:00:00Z' });
      await schedule(ann, { followUpId: 'f-early', assignee, dueAt: '2026-03-01T09:00:00Z' });
      await schedule(ann, { followUpId: 'f-done', assignee, dueAt: '2026-02-01T09:00:00Z' });
      await schedule(ann, { followUpId: 'f-other', assignee: newAssignee(), dueAt: '2026-02-01T09:00:00Z' });
      const last = await act(ann, 'f-done', 'cancel');
      const minPosition = (last.body as FollowUpRecordedBody).globalPosition;
      const asOf = '2026-03-02T09:00:00.000Z';

      const open = await worklist({ assignee, asOf, minPosition });
      const overdue = await worklist({ assignee, asOf, status: 'overdue', minPosition });

      expect(open.items.map((item) => [item.followUpId, item.status])).toEqual([
        ['f-early', 'overdue'],
        ['f-a', 'open'],
        ['f-b', 'open'],
        ['f-late', 'open'],
      ]);
      expect(open.items[1]).toEqual({
        followUpId: 'f-a',
        customerId: bob,
        assignee,
        dueAt: '2026-03-02T09:00:00.000Z',
        scheduledAt: '2026-02-01T00:00:00.000Z',
        caseId: null,
        status: 'open',
      });
      // Due exactly at asOf is not overdue yet.
      expect(overdue.items.map((item) => item.followUpId)).toEqual(['f-early']);
      expect(open.meta).toMatchObject({ asOf });
      expect(open.meta.position).toBeGreaterThanOrEqual(minPosition);
    });

    it('pages with limit and next', async () => {
      const assignee = newAssignee();
      const customerId = await registerCustomer(app);
      let position = 0;
      for (const day of [3, 1, 2])
        position = (
          await schedule(customerId, { followUpId: `f-${day}`, assignee, dueAt: `2026-03-0${day}T09:00:00Z` })
        ).globalPosition;

      const first = await worklist({ assignee, limit: 2, minPosition: position });
      const second = await worklist({ assignee, limit: 2, cursor: first.next ?? undefined });

      expect(first.items.map((item) => item.followUpId)).toEqual(['f-1', 'f-2']);
      expect(second.items.map((item) => item.followUpId)).toEqual(['f-3']);
      expect(second.next).toBeNull();
    });

    it("moves a reassigned follow-up from one assignee's worklist to the other's", async () => {
      const [sam, kim] = [newAssignee(), newAssignee()];
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-1', assignee: sam, dueAt: '2026-03-02T09:00:00Z' });
      const moved = await act(customerId, 'f-1', 'reassign', { assignee: kim });
      expect(moved.statusCode).toBe(201);
      const minPosition = (moved.body as FollowUpRecordedBody).globalPosition;

      expect((await worklist({ assignee: sam, minPosition })).items).toEqual([]);
      expect((await worklist({ assignee: kim, minPosition })).items).toMatchObject([
        { followUpId: 'f-1', assignee: kim },
      ]);
    });

    it('judges overdue at now (the server clock) without asOf', async () => {
      const assignee = newAssignee();
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-past', assignee, dueAt: '2000-01-01T00:00:00Z' });
      const last = await schedule(customerId, {
        followUpId: 'f-future',
        assignee,
        dueAt: '2999-01-01T00:00:00Z',
      });
      const before = new Date().toISOString();

      const list = await worklist({ assignee, minPosition: last.globalPosition });

      expect(list.items.map((item) => [item.followUpId, item.status])).toEqual([
        ['f-past', 'overdue'],
        ['f-future', 'open'],
      ]);
      expect(list.meta.asOf >= before && list.meta.asOf <= new Date().toISOString()).toBe(true);
    });

    it('refuses an unknown parameter, an unknown status, a bad asOf, limit or cursor with 400', async () => {
      for (const query of ['?colour=red', '?status=closed', '?asOf=yesterday', '?limit=0', '?assignee=%20'])
        expectError(await app.get(`/follow-ups${query}`), 400, 'VALIDATION.FAILED');
      const cursor = expectError(await app.get('/follow-ups?cursor=not-a-cursor'), 400, 'VALIDATION.FAILED');
      expect(cursor.details[0]).toMatchObject({ field: 'cursor', code: 'READ_STORE.INVALID_CURSOR' });
    });
  });

  describe('GET /customers/:id', () => {
    it("shows the customer's open follow-ups, and none once closed", async () => {
      const customerId = await registerCustomer(app);
      await schedule(customerId, { followUpId: 'f-2', assignee: 'kim', dueAt: '2099-03-02T09:00:00Z' });
      const first = await schedule(customerId, {
        followUpId: 'f-1',
        assignee: 'sam',
        dueAt: '2020-03-02T09:00:00Z',
      });

      const profile = await readOk<ProfileBody>(
        app,
        `${customerPath(customerId)}?minPosition=${first.globalPosition}`,
      );

      expect(profile.openFollowUps).toEqual([
        expect.objectContaining({ followUpId: 'f-1', customerId, assignee: 'sam', status: 'overdue' }),
        expect.objectContaining({ followUpId: 'f-2', customerId, assignee: 'kim', status: 'open' }),
      ]);
      await act(customerId, 'f-1', 'complete', { outcome: 'ok' });
      const closed = await act(customerId, 'f-2', 'cancel');
      const after = await readOk<ProfileBody>(
        app,
        `${customerPath(customerId)}?minPosition=${(closed.body as FollowUpRecordedBody).globalPosition}`,
      );
      expect(after.openFollowUps).toEqual([]);
    });
  });

  describe('merge', () => {
    it("shows a merged customer's follow-ups as the survivor's, in the worklist and the survivor's profile", async () => {
      const assignee = newAssignee();
      const survivor = await registerCustomer(app);
      const merged = await registerCustomer(app);
      await schedule(survivor, { followUpId: 'f-own', assignee, dueAt: '2026-03-02T09:00:00Z' });
      await schedule(merged, { followUpId: 'f-theirs', assignee, dueAt: '2026-03-01T09:00:00Z' });
      await schedule(merged, { followUpId: 'f-closed', assignee, dueAt: '2026-03-01T09:00:00Z' });
      await act(merged, 'f-closed', 'cancel');

      const merge = await app.post<{ globalPosition: number }>(customerPath(survivor, '/merge'), {
        mergedId: merged,
      });
      expect(merge.statusCode).toBe(201);
      const minPosition = merge.body.globalPosition;

      const list = await worklist({ assignee, minPosition });
      expect(list.items.map((item) => [item.followUpId, item.customerId])).toEqual([
        ['f-theirs', survivor],
        ['f-own', survivor],
      ]);
      const profile = await readOk<ProfileBody>(app, `${customerPath(survivor)}?minPosition=${minPosition}`);
      expect(profile.openFollowUps.map((item) => item.followUpId)).toEqual(['f-theirs', 'f-own']);
    });

    it("works a merged customer's follow-ups through the survivor, and refuses them on the merged id", async () => {
      const assignee = newAssignee();
      const survivor = await registerCustomer(app);
      const merged = await registerCustomer(app);
      await schedule(merged, { followUpId: 'f-1', assignee, dueAt: '2026-03-01T09:00:00Z' });
      await schedule(merged, { followUpId: 'f-2', assignee, dueAt: '2026-03-02T09:00:00Z' });
      await schedule(merged, { followUpId: 'f-3', assignee, dueAt: '2026-03-03T09:00:00Z' });
      await act(merged, 'f-3', 'cancel');
      expect((await app.post(customerPath(survivor, '/merge'), { mergedId: merged })).statusCode).toBe(201);

      expectError(await act(merged, 'f-1', 'complete', { outcome: 'ok' }), 409, 'CUSTOMER.MERGED');
      expect((await act(survivor, 'f-1', 'complete', { outcome: 'ok' })).statusCode).toBe(201);
      expectError(await act(survivor, 'f-3', 'cancel'), 409, 'FOLLOW_UP.CLOSED');
      const moved = await act(survivor, 'f-2', 'reassign', { assignee: 'someone-else' });
      expect(moved.statusCode).toBe(201);

      const minPosition = (moved.body as FollowUpRecordedBody).globalPosition;
      expect((await worklist({ assignee, minPosition })).items).toEqual([]);
      expect((await worklist({ assignee: 'someone-else', minPosition })).items).toContainEqual(
        expect.objectContaining({ followUpId: 'f-2', customerId: survivor }),
      );
    });
  });

  describe('not touchpoints', () => {
    it('leave the journey (stage, channel mix, touchpoints), the IDIC scores (inbound share) and the KPIs as they were', async () => {
      const customerId = newCustomerId('fu-kpi');
      await registerAt(app, customerId, '2026-01-01T00:00:00Z');
      const call = await recordTouchpoint(app, customerId, {
        type: 'CallLogged',
        direction: 'inbound',
        durationSeconds: 60,
        outcome: 'connected',
        occurredAt: '2026-01-02T00:00:00Z',
      });
      const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
      const asOf = '2026-02-01T00:00:00.000Z';
      const journeyBefore = await journeyOf(app, customerId, { minPosition: call.globalPosition, asOf });
      const kpisBefore = await kpisOf(app, { ...period, minPosition: call.globalPosition });
      const scoresBefore = await scoresOf(app, customerId, { minPosition: call.globalPosition, asOf });

      await schedule(customerId, {
        followUpId: 'f-1',
        assignee: 'a',
        dueAt: '2026-01-05T00:00:00Z',
        occurredAt: '2026-01-03T00:00:00Z',
      });
      await schedule(customerId, {
        followUpId: 'f-2',
        assignee: 'a',
        dueAt: '2026-01-05T00:00:00Z',
        occurredAt: '2026-01-03T00:00:00Z',
      });
      await act(customerId, 'f-1', 'reassign', { assignee: 'b', occurredAt: '2026-01-04T00:00:00Z' });
      await act(customerId, 'f-1', 'complete', { outcome: 'ok', occurredAt: '2026-01-05T00:00:00Z' });
      const last = await act(customerId, 'f-2', 'cancel', { occurredAt: '2026-01-06T00:00:00Z' });
      const minPosition = (last.body as FollowUpRecordedBody).globalPosition;
      const journeyAfter = await journeyOf(app, customerId, { minPosition, asOf });
      const kpisAfter = await kpisOf(app, { ...period, minPosition });
      const scoresAfter = await scoresOf(app, customerId, { minPosition, asOf });

      const { meta: _a, ...journeyNow } = journeyAfter;
      const { meta: _b, ...journeyThen } = journeyBefore;
      expect(journeyNow).toEqual(journeyThen);
      expect(journeyNow).toMatchObject({
        stage: 'acquisition',
        touchpoints: 1,
        touchpointsByChannel: { phone: 1 },
      });
      // IDIC: interaction counts, inbound share and preferred channel as they were.
      expect({ ...scoresAfter, meta: null }).toEqual({ ...scoresBefore, meta: null });
      expect(scoresAfter).toMatchObject({ interact: { inboundShare: 1 } });
      expect(kpisAfter.total).toEqual(kpisBefore.total);
      expect(kpisAfter.periods).toEqual(kpisBefore.periods);
    });
  });

  describe('the touchpoint route', () => {
    it.each([
      ['SurveyRequested', 'automatedOnly'],
      ['SupportCaseSlaBreached', 'automatedOnly'],
      ['FollowUpScheduled', 'notATouchpoint'],
    ])('refuses %s with 400 saying why, and writes nothing', async (type, code) => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await app.post(customerPath(customerId, '/touchpoints'), { type, caseId: 'c-1' });

      expect(expectError(response, 400, 'VALIDATION.FAILED').details).toEqual([
        { field: 'type', code, message: expect.stringContaining(type) as string },
      ]);
      await expectUnchanged(app, customerId, before);
    });

    it('refuses them as batch items too, naming the item', async () => {
      const customerId = await registerCustomer(app);

      const response = await app.post<BatchBody>('/touchpoints/batch', {
        items: [{ type: 'SurveyRequested', customerId, requestId: 'r-1', surveyType: 'csat', caseId: 'c-1' }],
      });

      expect(response.statusCode).toBe(200);
      expect(response.body.items[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'VALIDATION.FAILED', details: [{ field: 'items[0].type', code: 'automatedOnly' }] },
      });
    });

    it('records a survey answer that names its request only when the request exists', async () => {
      const customerId = await registerCustomer(app);

      const response = await app.post(customerPath(customerId, '/touchpoints'), {
        type: 'SurveyAnswered',
        surveyType: 'csat',
        score: 4,
        requestId: 'request-1',
      });

      expect(expectError(response, 422, 'SURVEY_REQUEST.UNKNOWN').details[0]?.field).toBe('requestId');
    });
  });
});
