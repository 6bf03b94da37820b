import { randomUUID } from 'node:crypto';
import {
  type BatchBody,
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectNoStream,
  expectUnchanged,
  fieldsOf,
  lastEvent,
  newCustomerId,
  type RecordedBody,
  recordTouchpoint,
  registerCustomer,
  streamSnapshot,
} from './support/api';
import { TestApp } from './support/test-app';
import { meeting, REQUIRED_FIELDS, SAMPLE_TYPES } from './support/touchpoints';

type Body = Readonly<Record<string, unknown>>;

/**
 * Every error class of the API, through HTTP. Each test also proves that the
 * rejected request appended nothing: the stream has the same revision and
 * events as before, or, for a customer that does not exist, still 404s.
 */
describe('error responses', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  const touchpoints = (customerId: string): string => customerPath(customerId, '/touchpoints');

  /** Posts a touchpoint that must be rejected, and checks the stream is untouched. */
  async function rejectTouchpoint(
    customerId: string,
    body: Body | string,
    status: number,
    code: string,
    headers?: Record<string, string>,
  ): Promise<ErrorResponseBody> {
    const before = await streamSnapshot(app, customerId);
    const response = await app.post<ErrorResponseBody>(touchpoints(customerId), body, headers);
    const error = expectError(response, status, code);
    await expectUnchanged(app, customerId, before);
    return error;
  }

  it('renders errors as { statusCode, code, message, details } and echoes the correlation id', async () => {
    const customerId = await registerCustomer(app);

    const response = await app.post<ErrorResponseBody>(
      touchpoints(customerId),
      { type: 'MeetingHeld' },
      {
        'x-correlation-id': 'trace-123',
      },
    );

    expect(response.headers['x-correlation-id']).toBe('trace-123');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(new Set(fieldsOf(response.body))).toEqual(new Set(['durationMinutes']));
    for (const detail of response.body.details) {
      expect(detail).toEqual({
        field: 'durationMinutes',
        code: expect.any(String) as string,
        message: expect.any(String) as string,
      });
    }
  });

  describe('400 VALIDATION.FAILED', () => {
    it('rejects an unknown touchpoint type, naming type', async () => {
      const customerId = await registerCustomer(app);

      const error = await rejectTouchpoint(
        customerId,
        { type: 'CustomerRegistered', kind: 'person', name: 'x' },
        400,
        'VALIDATION.FAILED',
      );

      expect(fieldsOf(error)).toEqual(['type']);
    });

    it('rejects a body that is not an object, naming type', async () => {
      const customerId = await registerCustomer(app);

      const error = await rejectTouchpoint(customerId, '[1,2]', 400, 'VALIDATION.FAILED');

      expect(fieldsOf(error)).toEqual(['type']);
    });

    it.each(SAMPLE_TYPES.map((type) => [type, REQUIRED_FIELDS[type]] as const))(
      'names every missing required field of %s',
      async (type, required) => {
        const customerId = await registerCustomer(app);

        const error = await rejectTouchpoint(customerId, { type }, 400, 'VALIDATION.FAILED');

        expect([...new Set(fieldsOf(error))].sort()).toEqual(required);
      },
    );

    it('names several bad fields at once, nested purchase items included', async () => {
      const customerId = await registerCustomer(app);

      const error = await rejectTouchpoint(
        customerId,
        {
          type: 'PurchaseCompleted',
          eventId: 'not-a-uuid',
          orderId: '',
          amount: 12.5,
          currency: 'XXXX',
          channel: 'fax',
          items: [
            { sku: 'a', category: 'c', quantity: 0, unitAmount: 100 },
            { category: 'c', quantity: 1.5, unitAmount: -1 },
          ],
        },
        400,
        'VALIDATION.FAILED',
      );

      expect(new Set(fieldsOf(error))).toEqual(
        new Set([
          'eventId',
          'orderId',
          'amount',
          'currency',
          'channel',
          'items[0].quantity',
          'items[1].sku',
          'items[1].quantity',
          'items[1].unitAmount',
        ]),
      );
    });

    it('rejects unknown fields, including fields of another touchpoint type and inside purchase items', async () => {
      const customerId = await registerCustomer(app);

      const error = await rejectTouchpoint(
        customerId,
        {
          type: 'PurchaseCompleted',
          orderId: 'o-1',
          amount: 100,
          currency: 'EUR',
          channel: 'web',
          score: 9,
          items: [{ sku: 'a', category: 'c', quantity: 1, unitAmount: 100, colour: 'red' }],
        },
        400,
        'VALIDATION.FAILED',
      );

      expect(error.details.map((detail) => [detail.field, detail.code])).toEqual(
        expect.arrayContaining([
          ['score', 'whitelistValidation'],
          ['items[0].colour', 'whitelistValidation'],
        ]),
      );
      expect(error.details).toHaveLength(2);
    });

    it.each<[string, Body, string]>([
      [
        'a call direction',
        { type: 'CallLogged', direction: 'sideways', durationSeconds: 1, outcome: 'busy' },
        'direction',
      ],
      [
        'a call outcome',
        { type: 'CallLogged', direction: 'inbound', durationSeconds: 1, outcome: 'hung_up' },
        'outcome',
      ],
      ['a message channel', { type: 'MessageLogged', channel: 'fax', direction: 'inbound' }, 'channel'],
      [
        'a purchase channel',
        { type: 'PurchaseCompleted', orderId: 'o', amount: 1, currency: 'EUR', channel: 'fax' },
        'channel',
      ],
      ['a campaign action', { type: 'CampaignInteraction', campaignId: 'c', action: 'liked' }, 'action'],
      ['a survey type', { type: 'SurveyAnswered', surveyType: 'ces2', score: 1 }, 'surveyType'],
      [
        'a negative call duration',
        { type: 'CallLogged', direction: 'inbound', durationSeconds: -1, outcome: 'busy' },
        'durationSeconds',
      ],
      ['a fractional meeting duration', { type: 'MeetingHeld', durationMinutes: 1.5 }, 'durationMinutes'],
      [
        'a non-boolean firstContact',
        { type: 'SupportCaseResolved', caseId: 'c', firstContact: 'yes' },
        'firstContact',
      ],
      ['a refund of zero', { type: 'PurchaseRefunded', orderId: 'o', amount: 0, currency: 'EUR' }, 'amount'],
    ])('rejects %s outside the catalogue, naming the field', async (_label, body, field) => {
      const customerId = await registerCustomer(app);

      const error = await rejectTouchpoint(customerId, body, 400, 'VALIDATION.FAILED');

      expect(fieldsOf(error)).toEqual([field]);
    });

    describe('survey scores', () => {
      it.each([
        ['nps', 0],
        ['nps', 10],
        ['csat', 1],
        ['csat', 5],
        ['ces', 1],
        ['ces', 7],
      ])('accepts a %s score of %i', async (surveyType, score) => {
        const customerId = await registerCustomer(app);

        await recordTouchpoint(app, customerId, { type: 'SurveyAnswered', surveyType, score });

        expect((await lastEvent(app, customerId)).data).toEqual({ surveyType, score });
      });

      it.each([
        ['nps', -1],
        ['nps', 11],
        ['csat', 0],
        ['csat', 6],
        ['ces', 0],
        ['ces', 8],
      ])('rejects a %s score of %i', async (surveyType, score) => {
        const customerId = await registerCustomer(app);

        const error = await rejectTouchpoint(
          customerId,
          { type: 'SurveyAnswered', surveyType, score },
          400,
          'VALIDATION.FAILED',
        );

        expect(error.details.map((detail) => [detail.field, detail.code])).toEqual([
          ['score', 'scoreInRange'],
        ]);
      });

      it('rejects a fractional score', async () => {
        const customerId = await registerCustomer(app);

        const error = await rejectTouchpoint(
          customerId,
          { type: 'SurveyAnswered', surveyType: 'csat', score: 4.5 },
          400,
          'VALIDATION.FAILED',
        );

        expect(fieldsOf(error)).toEqual(['score']);
      });
    });

    describe('occurredAt', () => {
      it.each(['2024-05-01T10:00:00', '2024-05-01T10:00'])(
        'rejects %s, which has no UTC offset',
        async (occurredAt) => {
          const customerId = await registerCustomer(app);

          const error = await rejectTouchpoint(customerId, meeting({ occurredAt }), 400, 'VALIDATION.FAILED');

          expect(error.details.map((detail) => [detail.field, detail.code])).toEqual([
            ['occurredAt', 'missingOffset'],
          ]);
        },
      );

      it('rejects an occurredAt further in the future than the allowed clock skew', async () => {
        const customerId = await registerCustomer(app);
        const occurredAt = new Date(Date.now() + app.config.maxClockSkewMs + 60_000).toISOString();

        const error = await rejectTouchpoint(customerId, meeting({ occurredAt }), 400, 'VALIDATION.FAILED');

        expect(error.details.map((detail) => [detail.field, detail.code])).toEqual([
          ['occurredAt', 'inFuture'],
        ]);
      });

      it('accepts an occurredAt slightly in the future, within the allowed clock skew', async () => {
        const customerId = await registerCustomer(app);
        const occurredAt = new Date(Date.now() + 60_000).toISOString();

        await recordTouchpoint(app, customerId, meeting({ occurredAt }));

        expect((await lastEvent(app, customerId)).occurredAt).toBe(occurredAt);
      });

      it.each(['2024-02-30T10:00:00Z', 'yesterday', '2024-05-01 10:00:00Z'])(
        'rejects %p as not an ISO-8601 instant',
        async (occurredAt) => {
          const customerId = await registerCustomer(app);

          const error = await rejectTouchpoint(customerId, meeting({ occurredAt }), 400, 'VALIDATION.FAILED');

          expect(fieldsOf(error)).toEqual(['occurredAt']);
        },
      );

      it('rejects an occurredAt in the future on registration too, registering nothing', async () => {
        const customerId = newCustomerId();
        const occurredAt = new Date(Date.now() + 24 * 3600_000).toISOString();

        const response = await app.post('/customers', {
          kind: 'person',
          name: 'Future',
          customerId,
          occurredAt,
        });

        expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['occurredAt']);
        await expectNoStream(app, customerId);
      });

      // Known bug: strings class-validator accepts as ISO-8601 but Date cannot parse (basic format,
      // comma fractions) reach `new Date(raw).toISOString()` in EventBuilder and throw: 500.
      it.each(['20240501T100000Z', '2024-05-01T10:00:00,5Z'])(
        'rejects %p, an ISO-8601 form the store cannot normalise, with 400',
        async (occurredAt) => {
          const customerId = await registerCustomer(app);

          const response = await app.post(touchpoints(customerId), meeting({ occurredAt }));

          expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['occurredAt']);
        },
      );
    });

    describe('trace headers', () => {
      it.each([
        ['characters outside the allowed set', 'not valid!'],
        ['more than 128 characters', 'a'.repeat(129)],
      ])('rejects an x-causation-id with %s', async (_label, value) => {
        const customerId = await registerCustomer(app);

        const error = await rejectTouchpoint(customerId, meeting(), 400, 'VALIDATION.FAILED', {
          'x-causation-id': value,
        });

        expect(error.details.map((detail) => [detail.field, detail.code])).toEqual([
          ['headers.x-causation-id', 'invalidTraceId'],
        ]);
      });

      it('rejects a bad x-causation-id on registration, registering nothing', async () => {
        const customerId = newCustomerId();

        const response = await app.post(
          '/customers',
          { kind: 'person', name: 'X', customerId },
          { 'x-causation-id': 'bad id' },
        );

        expectError(response, 400, 'VALIDATION.FAILED');
        await expectNoStream(app, customerId);
      });

      it('stores an x-correlation-id of 128 allowed characters as sent', async () => {
        const customerId = await registerCustomer(app);
        const correlationId = `A-z0._:@/+=${'x'.repeat(117)}`;

        await recordTouchpoint(app, customerId, meeting(), { 'x-correlation-id': correlationId });

        expect((await lastEvent(app, customerId)).metadata.correlationId).toBe(correlationId);
      });

      it('never stores a bad x-correlation-id', async () => {
        const customerId = await registerCustomer(app);

        await app.post(touchpoints(customerId), meeting(), { 'x-correlation-id': 'bad id with spaces' });

        const stored = await lastEvent(app, customerId);
        expect(stored.metadata.correlationId).not.toBe('bad id with spaces');
      });

      // Known bug: the onRequest hook in create-app.ts swaps a malformed x-correlation-id for a
      // fresh UUID before any handler runs, so metadataFromHeaders never sees it and the request
      // is recorded (201) under an id the client does not know.
      it('rejects a bad x-correlation-id with 400 naming the header', async () => {
        const customerId = await registerCustomer(app);

        const error = await rejectTouchpoint(customerId, meeting(), 400, 'VALIDATION.FAILED', {
          'x-correlation-id': 'bad id with spaces',
        });

        expect(fieldsOf(error)).toEqual(['headers.x-correlation-id']);
      });
    });
  });

  describe('400 PAYLOAD.MALFORMED_JSON', () => {
    it.each([
      ['a truncated document', '{"type":"MeetingHeld",'],
      ['trailing garbage', '{"type":"MeetingHeld","durationMinutes":1} x'],
      ['single quotes', "{'type':'MeetingHeld'}"],
      ['an empty body', ''],
      ['whitespace only', '   '],
    ])('rejects %s and writes nothing', async (_label, text) => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await app.post(touchpoints(customerId), text);

      expectError(response, 400, 'PAYLOAD.MALFORMED_JSON');
      await expectUnchanged(app, customerId, before);
    });

    it('rejects a malformed batch and registration body with the same code', async () => {
      const customerId = newCustomerId();

      const registration = await app.post(
        '/customers',
        `{"kind":"person","name":"x","customerId":"${customerId}"`,
      );
      const batch = await app.post('/touchpoints/batch', '{"items":[');

      expectError(registration, 400, 'PAYLOAD.MALFORMED_JSON');
      expectError(batch, 400, 'PAYLOAD.MALFORMED_JSON');
      await expectNoStream(app, customerId);
    });
  });

  describe('404', () => {
    it('rejects a touchpoint for a customer never registered with CUSTOMER.NOT_FOUND and creates no stream', async () => {
      const customerId = newCustomerId('ghost');

      const response = await app.post(touchpoints(customerId), meeting());

      expectError(response, 404, 'CUSTOMER.NOT_FOUND');
      await expectNoStream(app, customerId);
    });

    it('answers an unknown route with ROUTE.NOT_FOUND in the same error shape', async () => {
      const response = await app.get('/no-such-route');

      expectError(response, 404, 'ROUTE.NOT_FOUND');
    });
  });

  describe('409', () => {
    it('EVENT_STORE.WRONG_EXPECTED_REVISION when expectedRevision is stale', async () => {
      const customerId = await registerCustomer(app);
      await recordTouchpoint(app, customerId, meeting());

      await rejectTouchpoint(
        customerId,
        meeting({ expectedRevision: 0 }),
        409,
        'EVENT_STORE.WRONG_EXPECTED_REVISION',
      );
    });

    it('CUSTOMER.ALREADY_REGISTERED when the customerId is taken', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await app.post('/customers', { kind: 'person', name: 'Twin', customerId });

      expectError(response, 409, 'CUSTOMER.ALREADY_REGISTERED');
      await expectUnchanged(app, customerId, before);
    });

    it('EVENT_STORE.EVENT_ID_CONFLICT when the eventId belongs to another customer', async () => {
      const owner = await registerCustomer(app);
      const eventId = randomUUID();
      await recordTouchpoint(app, owner, meeting({ eventId }));
      const ownerBefore = await streamSnapshot(app, owner);
      const other = await registerCustomer(app);

      await rejectTouchpoint(other, meeting({ eventId }), 409, 'EVENT_STORE.EVENT_ID_CONFLICT');
      await expectUnchanged(app, owner, ownerBefore);
    });
  });

  describe('domain rules', () => {
    const purchase = (extra: Body = {}): Body => ({
      type: 'PurchaseCompleted',
      orderId: 'o-1',
      amount: 1000,
      currency: 'EUR',
      channel: 'web',
      ...extra,
    });
    const refund = (extra: Body = {}): Body => ({
      type: 'PurchaseRefunded',
      orderId: 'o-1',
      amount: 100,
      currency: 'EUR',
      ...extra,
    });
    const openCase = { type: 'SupportCaseOpened', caseId: 'case-1', subject: 'Help' };

    it.each<[string, Body[], Body, number, string, string]>([
      ['a refund of an order never purchased', [], refund(), 422, 'REFUND.UNKNOWN_ORDER', 'orderId'],
      [
        'a refund above the amount paid',
        [purchase()],
        refund({ amount: 1001 }),
        422,
        'REFUND.EXCEEDS_PAID',
        'amount',
      ],
      [
        'a refund above what earlier refunds left',
        [purchase(), refund({ amount: 600 })],
        refund({ amount: 401 }),
        422,
        'REFUND.EXCEEDS_PAID',
        'amount',
      ],
      [
        'a refund in another currency',
        [purchase()],
        refund({ currency: 'USD' }),
        422,
        'REFUND.CURRENCY_MISMATCH',
        'currency',
      ],
      [
        'a purchase currency not in upper case',
        [],
        purchase({ currency: 'eur' }),
        422,
        'CURRENCY.INVALID',
        'currency',
      ],
      [
        'a second purchase with the same orderId',
        [purchase()],
        purchase({ amount: 5 }),
        409,
        'ORDER.ALREADY_COMPLETED',
        'orderId',
      ],
      [
        'a reply to a case never opened',
        [],
        { type: 'SupportCaseResponded', caseId: 'case-1' },
        422,
        'SUPPORT_CASE.NOT_OPENED',
        'caseId',
      ],
      [
        'a resolution of a case never opened',
        [],
        { type: 'SupportCaseResolved', caseId: 'case-1', firstContact: true },
        422,
        'SUPPORT_CASE.NOT_OPENED',
        'caseId',
      ],
      ['opening a case twice', [openCase], openCase, 409, 'SUPPORT_CASE.ALREADY_OPENED', 'caseId'],
      [
        'a second first reply',
        [openCase, { type: 'SupportCaseResponded', caseId: 'case-1' }],
        { type: 'SupportCaseResponded', caseId: 'case-1' },
        409,
        'SUPPORT_CASE.ALREADY_RESPONDED',
        'caseId',
      ],
      [
        'a reply after the resolution',
        [openCase, { type: 'SupportCaseResolved', caseId: 'case-1', firstContact: false }],
        { type: 'SupportCaseResponded', caseId: 'case-1' },
        409,
        'SUPPORT_CASE.ALREADY_RESOLVED',
        'caseId',
      ],
      [
        'resolving a case twice',
        [openCase, { type: 'SupportCaseResolved', caseId: 'case-1', firstContact: true }],
        { type: 'SupportCaseResolved', caseId: 'case-1', firstContact: false },
        409,
        'SUPPORT_CASE.ALREADY_RESOLVED',
        'caseId',
      ],
    ])('rejects %s', async (_label, given, body, status, code, field) => {
      const customerId = await registerCustomer(app);
      for (const earlier of given) await recordTouchpoint(app, customerId, earlier);

      const error = await rejectTouchpoint(customerId, body, status, code);

      expect(error.details).toEqual([{ field, code, message: error.message }]);
    });

    it('accepts refunds up to exactly the amount paid', async () => {
      const customerId = await registerCustomer(app);
      await recordTouchpoint(app, customerId, purchase());
      await recordTouchpoint(app, customerId, refund({ amount: 600 }));

      const last = await recordTouchpoint(app, customerId, refund({ amount: 400 }));

      expect(last.streamRevision).toBe(3);
    });
  });

  describe('415 PAYLOAD.UNSUPPORTED_MEDIA_TYPE', () => {
    it.each(['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'rejects a %s body and writes nothing',
      async (contentType) => {
        const customerId = await registerCustomer(app);

        await rejectTouchpoint(customerId, 'type=MeetingHeld', 415, 'PAYLOAD.UNSUPPORTED_MEDIA_TYPE', {
          'content-type': contentType,
        });
      },
    );

    // Known bug: create-app.ts replaces Fastify's application/json parser but keeps its default
    // text/plain parser, so a text/plain body reaches the handlers as a string: 400, not 415.
    it('rejects a text/plain body with 415', async () => {
      const customerId = await registerCustomer(app);

      await rejectTouchpoint(customerId, JSON.stringify(meeting()), 415, 'PAYLOAD.UNSUPPORTED_MEDIA_TYPE', {
        'content-type': 'text/plain',
      });
    });

    it('never records a text/plain body', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);

      const response = await app.post(touchpoints(customerId), JSON.stringify(meeting()), {
        'content-type': 'text/plain',
      });

      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      await expectUnchanged(app, customerId, before);
    });
  });
});

describe('413 limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ MAX_BODY_BYTES: '1024', MAX_BATCH_ITEMS: '3' });
  });

  afterAll(async () => {
    await app.stop();
  });

  const call = (notes: string): Body => ({
    type: 'CallLogged',
    direction: 'inbound',
    durationSeconds: 5,
    outcome: 'connected',
    notes,
  });

  it('accepts a body just under MAX_BODY_BYTES', async () => {
    const customerId = await registerCustomer(app);
    const body = call('n'.repeat(900));
    expect(JSON.stringify(body).length).toBeLessThan(1024);

    const response = await app.post<RecordedBody>(customerPath(customerId, '/touchpoints'), body);

    expect(response.statusCode).toBe(201);
  });

  it('rejects a touchpoint body over MAX_BODY_BYTES with 413 PAYLOAD.TOO_LARGE and writes nothing', async () => {
    const customerId = await registerCustomer(app);
    const before = await streamSnapshot(app, customerId);

    const response = await app.post(customerPath(customerId, '/touchpoints'), call('n'.repeat(1100)));

    expectError(response, 413, 'PAYLOAD.TOO_LARGE');
    await expectUnchanged(app, customerId, before);
  });

  it('rejects a registration body over MAX_BODY_BYTES with 413 and registers nothing', async () => {
    const customerId = newCustomerId();

    const response = await app.post('/customers', { kind: 'person', name: 'n'.repeat(1100), customerId });

    expectError(response, 413, 'PAYLOAD.TOO_LARGE');
    await expectNoStream(app, customerId);
  });

  it('rejects a batch over MAX_BATCH_ITEMS with 413 BATCH.TOO_MANY_ITEMS and writes nothing', async () => {
    const customerId = await registerCustomer(app);
    const before = await streamSnapshot(app, customerId);

    const response = await app.post<BatchBody>('/touchpoints/batch', {
      items: Array.from({ length: 4 }, () => ({ customerId, type: 'MeetingHeld', durationMinutes: 1 })),
    });

    const error = expectError(response, 413, 'BATCH.TOO_MANY_ITEMS');
    expect(error.details).toEqual([{ field: 'items', code: 'arrayMaxSize', message: 'got 4 items' }]);
    await expectUnchanged(app, customerId, before);
  });

  it('accepts a batch of exactly MAX_BATCH_ITEMS', async () => {
    const customerId = await registerCustomer(app);

    const response = await app.post<BatchBody>('/touchpoints/batch', {
      items: Array.from({ length: 3 }, () => ({ customerId, type: 'MeetingHeld', durationMinutes: 1 })),
    });

    expect(response.body.created).toBe(3);
  });
});
