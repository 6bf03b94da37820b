import {
  type BatchBody,
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectNoStream,
  expectUnchanged,
  lastEvent,
  newCustomerId,
  recordTouchpoint,
  registerCustomer,
  streamSnapshot,
} from './support/api';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

type Body = Readonly<Record<string, unknown>>;

/** The documented maximum of one amount, in minor units (docs/errors.md). */
const MAX_AMOUNT = 1_000_000_000_000;

const nest = (levels: number, leaf: string): string => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);

/**
 * Input the server would change or choke on is refused with 400 naming the
 * field, and nothing is written: hostile JSON shapes, numbers a double cannot
 * hold exactly, money beyond the documented maximum, instants that would be
 * truncated or guessed, and names nobody can see.
 */
describe('input refused at the edge', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  const fieldsAndCodes = (error: ErrorResponseBody): string[][] =>
    error.details.map((detail) => [detail.field, detail.code]);

  /** Registers with a known id that must be rejected, and checks no stream was created. */
  async function rejectRegistration(body: Body | string): Promise<ErrorResponseBody> {
    const customerId = newCustomerId();
    const text = typeof body === 'string' ? body.replace('$ID', customerId) : { ...body, customerId };
    const response = await app.post<ErrorResponseBody>('/customers', text);
    const error = expectError(response, 400, 'VALIDATION.FAILED');
    await expectNoStream(app, customerId);
    return error;
  }

  async function rejectTouchpoint(body: Body | string): Promise<ErrorResponseBody> {
    const customerId = await registerCustomer(app);
    const before = await streamSnapshot(app, customerId);
    const response = await app.post<ErrorResponseBody>(customerPath(customerId, '/touchpoints'), body);
    const error = expectError(response, 400, 'VALIDATION.FAILED');
    await expectUnchanged(app, customerId, before);
    return error;
  }

  describe('JSON shapes', () => {
    it('refuses a constructor key in attributes, naming it', async () => {
      const error = await rejectRegistration({ kind: 'person', name: 'P', attributes: { constructor: 1 } });

      expect(fieldsAndCodes(error)).toEqual([['attributes.constructor', 'reservedKey']]);
    });

    it('refuses a __proto__ key rather than dropping it silently', async () => {
      const error = await rejectRegistration(
        '{"kind":"person","name":"P","customerId":"$ID","__proto__":{"x":1}}',
      );

      expect(fieldsAndCodes(error)).toEqual([['__proto__', 'reservedKey']]);
    });

    it('refuses 2,400 levels of nesting in attributes, naming where it got too deep', async () => {
      const error = await rejectRegistration(
        `{"kind":"person","name":"P","customerId":"$ID","attributes":${nest(2400, '1')}}`,
      );

      expect(error.details).toHaveLength(1);
      expect(error.details[0]?.code).toBe('maxDepth');
      expect(error.details[0]?.field).toMatch(/^attributes\.a\.a/);
    });

    it('refuses 3,000 levels of nesting in batch items', async () => {
      const customerId = await registerCustomer(app);
      const before = await streamSnapshot(app, customerId);
      const item = `{"customerId":"${customerId}","type":"MeetingHeld","durationMinutes":1,"x":${nest(3000, '1')}}`;

      const response = await app.post<ErrorResponseBody>('/touchpoints/batch', `{"items":[${item}]}`);

      const error = expectError(response, 400, 'VALIDATION.FAILED');
      expect(error.details[0]?.field).toMatch(/^items\[0\]\.x\.a/);
      await expectUnchanged(app, customerId, before);
    });
  });

  describe('numbers', () => {
    it('refuses an attribute of 1e309, which would be stored as null', async () => {
      const error = await rejectRegistration(
        '{"kind":"person","name":"P","customerId":"$ID","attributes":{"n":1e309}}',
      );

      expect(fieldsAndCodes(error)).toEqual([['attributes.n', 'notFinite']]);
    });

    it('refuses an expectedRevision beyond the safe integers with 400, not an event store error', async () => {
      const error = await rejectTouchpoint(
        '{"type":"MeetingHeld","durationMinutes":1,"expectedRevision":9007199254740993}',
      );

      expect(fieldsAndCodes(error)).toEqual([['expectedRevision', 'unsafeInteger']]);
    });

    it('refuses the largest safe expectedRevision as a stale revision, not a malformed append', async () => {
      const customerId = await registerCustomer(app);

      const response = await app.post(
        customerPath(customerId, '/touchpoints'),
        meeting({ expectedRevision: Number.MAX_SAFE_INTEGER }),
      );

      expectError(response, 409, 'EVENT_STORE.WRONG_EXPECTED_REVISION');
    });
  });

  describe('money', () => {
    const purchase = (amount: string, items = ''): string =>
      `{"type":"PurchaseCompleted","orderId":"o-1","amount":${amount},"currency":"EUR","channel":"web"${items}}`;

    it.each([
      ['9007199254740993, which a double would round', '9007199254740993', 'unsafeInteger'],
      ['1e308, whose sums overflow', '1e308', 'unsafeInteger'],
      ['1e15, exact but beyond the maximum', '1e15', 'max'],
      ['one above the maximum', String(MAX_AMOUNT + 1), 'max'],
      ['a fraction of a minor unit', '10.5', 'isInt'],
    ])('refuses a purchase amount of %s', async (_label, amount, code) => {
      const error = await rejectTouchpoint(purchase(amount));

      expect(fieldsAndCodes(error)).toEqual([['amount', code]]);
    });

    it('refuses a refund amount above the maximum', async () => {
      const error = await rejectTouchpoint(
        `{"type":"PurchaseRefunded","orderId":"o-1","amount":${MAX_AMOUNT + 1},"currency":"EUR"}`,
      );

      expect(fieldsAndCodes(error)).toEqual([['amount', 'max']]);
    });

    it('refuses an item line whose unitAmount × quantity is above the maximum', async () => {
      const error = await rejectTouchpoint(
        purchase('100', `,"items":[{"sku":"s","category":"c","quantity":1000,"unitAmount":${MAX_AMOUNT}}]`),
      );

      expect(fieldsAndCodes(error)).toEqual([['items[0].unitAmount', 'lineWithinMaxAmount']]);
    });

    it('accepts the maximum amount and keeps it exactly', async () => {
      const customerId = await registerCustomer(app);

      await recordTouchpoint(app, customerId, JSON.parse(purchase(String(MAX_AMOUNT))) as Body);

      expect((await lastEvent(app, customerId)).data.amount).toBe(MAX_AMOUNT);
    });
  });

  describe('occurredAt', () => {
    it.each([
      ['nanoseconds, which would be truncated', '2025-06-01T00:00:00.123456789Z', 'maxPrecision'],
      ['a date without time or offset', '2025-06-01', 'missingOffset'],
      ['a time without offset', '2025-06-01T00:00:00', 'missingOffset'],
      ['an offset without colon', '2025-06-01T10:00:00+0200', 'isRfc3339'],
    ])('refuses %s', async (_label, occurredAt, code) => {
      const error = await rejectTouchpoint(meeting({ occurredAt }));

      expect(fieldsAndCodes(error)).toEqual([['occurredAt', code]]);
    });

    it('keeps milliseconds and normalises the offset to UTC', async () => {
      const customerId = await registerCustomer(app);

      await recordTouchpoint(app, customerId, meeting({ occurredAt: '2025-06-01T02:00:00.123+02:00' }));

      expect((await lastEvent(app, customerId)).occurredAt).toBe('2025-06-01T00:00:00.123Z');
    });
  });

  describe('null for a field that may be left out', () => {
    const fieldsOf = (error: ErrorResponseBody): string[] => [
      ...new Set(error.details.map((detail) => detail.field)),
    ];

    it('refuses it on a registration instead of taking it as left out', async () => {
      const error = await rejectRegistration({ kind: 'person', name: 'Ann', email: null });

      expect(fieldsOf(error)).toEqual(['email']);
    });

    it('refuses it on a touchpoint', async () => {
      const error = await rejectTouchpoint({
        type: 'PurchaseCompleted',
        orderId: 'o-null',
        amount: 1,
        currency: 'EUR',
        channel: 'web',
        items: null,
      });

      expect(fieldsOf(error)).toEqual(['items']);
    });

    it('refuses it on an erasure, erasing nothing', async () => {
      const customerId = await registerCustomer(app);
      const response = await app.post<ErrorResponseBody>(`/admin/customers/${customerId}/erase`, {
        reason: 'gdpr-art-17',
        requestedBy: null,
      });

      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['requestedBy']);
      expect((await app.get(customerPath(customerId, '/events'))).statusCode).toBe(200);
    });

    it('refuses an erasure whose body is null, or a batch with a field besides its items', async () => {
      const customerId = await registerCustomer(app);
      const erase = await app.post<ErrorResponseBody>(`/admin/customers/${customerId}/erase`, 'null');
      expect(fieldsOf(expectError(erase, 400, 'VALIDATION.FAILED'))).toEqual(['(body)']);
      expect((await app.get(customerPath(customerId, '/events'))).statusCode).toBe(200);

      const before = await streamSnapshot(app, customerId);
      const items = [{ customerId, type: 'CallLogged', direction: 'inbound', durationSeconds: 5 }];
      const batch = await app.post<ErrorResponseBody>('/touchpoints/batch', { items, dryRun: true });
      expect(fieldsOf(expectError(batch, 400, 'VALIDATION.FAILED'))).toEqual(['dryRun']);
      await expectUnchanged(app, customerId, before);
    });

    it('refuses it on a what-if, which answered 500', async () => {
      const response = await app.post<ErrorResponseBody>('/analytics/what-if', { asOf: null });

      expect(fieldsOf(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual(['asOf']);
    });

    it.each([
      ['rfmWeights', []],
      ['valueTierCutoffs', []],
      ['rfmWeights', [{ recency: 1, frequency: 1, monetary: 1 }]],
    ])(
      'refuses an array for the object %s on a what-if (it was taken as no weights)',
      async (field, value) => {
        const response = await app.post<ErrorResponseBody>('/analytics/what-if', { [field]: value });

        expect(fieldsAndCodes(expectError(response, 400, 'VALIDATION.FAILED'))).toEqual([
          [field, 'isObject'],
        ]);
      },
    );
  });

  describe('names', () => {
    it.each([
      ['spaces only', '   '],
      ['a NUL only', '\u0000'],
      ['a control character inside', 'Ann\u0007e'],
      ['a zero-width space only', '\u200B'],
    ])('refuses a name of %s', async (_label, name) => {
      const error = await rejectRegistration({ kind: 'person', name });

      expect(fieldsAndCodes(error)).toEqual([['name', 'isVisibleText']]);
    });

    it('refuses an orderId of spaces only', async () => {
      const error = await rejectTouchpoint({
        type: 'PurchaseCompleted',
        orderId: '  ',
        amount: 1,
        currency: 'EUR',
        channel: 'web',
      });

      expect(fieldsAndCodes(error)).toEqual([['orderId', 'isVisibleText']]);
    });

    it('accepts a name with inner spaces and letters of any script', async () => {
      const customerId = newCustomerId();

      const response = await app.post('/customers', { kind: 'person', name: ' Zoë  Ōtani ', customerId });

      expect(response.statusCode).toBe(201);
    });
  });

  it('refuses a batch item with a bad amount and records the others of other customers', async () => {
    const good = await registerCustomer(app);
    const bad = await registerCustomer(app);

    const response = await app.post<BatchBody>('/touchpoints/batch', {
      items: [
        {
          customerId: bad,
          type: 'PurchaseCompleted',
          orderId: 'o',
          amount: MAX_AMOUNT * 10,
          currency: 'EUR',
          channel: 'web',
        },
        { customerId: good, ...meeting() },
      ],
    });

    expect(response.body.items.map((item) => item.status)).toEqual(['rejected', 'created']);
    expect(response.body.items[0]?.error?.details.map((detail) => detail.field)).toEqual(['items[0].amount']);
  });
});
