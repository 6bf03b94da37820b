import { randomUUID } from 'node:crypto';
import {
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectUnchanged,
  IDEMPOTENT_REPLAY_HEADER,
  lastEvent,
  newCustomerId,
  type RecordedBody,
  recordTouchpoint,
  registerCustomer,
  streamSnapshot,
} from './support/api';
import { keyIdOf } from './support/api-keys';
import { TestApp } from './support/test-app';

type KpiBody = {
  readonly total: {
    readonly informationManagement: {
      readonly avgProfileCompleteness: number | null;
      readonly marketingConsentShare: number | null;
    };
  };
};

describe('PATCH /customers/:id and POST /customers/:id/consents', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  const patch = (customerId: string, body: unknown, headers?: Record<string, string>) =>
    app.request<RecordedBody | ErrorResponseBody>('PATCH', customerPath(customerId), body, headers);
  const consent = (customerId: string, body: unknown) =>
    app.post<RecordedBody | ErrorResponseBody>(customerPath(customerId, '/consents'), body);

  it('records CustomerProfileUpdated with the named fields only, null clearing one', async () => {
    const customerId = await registerCustomer(app, newCustomerId(), {
      email: 'old@example.com',
      segment: 'b2c',
    });
    const eventId = randomUUID();
    const response = await patch(
      customerId,
      { eventId, email: 'New@Example.com', segment: null, occurredAt: '2026-01-02T03:04:05Z' },
      { 'x-correlation-id': 'profile-1' },
    );
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      customerId,
      eventId,
      type: 'CustomerProfileUpdated',
      streamRevision: 1,
      globalPosition: expect.any(Number) as number,
    });
    expect(await lastEvent(app, customerId)).toMatchObject({
      type: 'CustomerProfileUpdated',
      occurredAt: '2026-01-02T03:04:05.000Z',
      data: { email: 'New@Example.com', segment: null },
      metadata: { correlationId: 'profile-1', actor: keyIdOf(app.apiKey), source: 'api' },
    });
  });

  it('records ConsentChanged', async () => {
    const customerId = await registerCustomer(app);
    const response = await consent(customerId, {
      purpose: 'marketing_email',
      granted: true,
      expectedRevision: 0,
    });
    expect(response.statusCode).toBe(201);
    expect(await lastEvent(app, customerId)).toMatchObject({
      type: 'ConsentChanged',
      data: { purpose: 'marketing_email', granted: true },
    });
  });

  it.each([
    ['an empty patch', {}, '(body)', 'noProfileField'],
    ['a null name', { name: null }, 'name', 'isString'],
    ['kind', { kind: 'company' }, 'kind', 'whitelistValidation'],
    ['a bad email', { email: 'nope' }, 'email', 'isEmail'],
    ['a blank segment', { segment: '  ' }, 'segment', 'isVisibleText'],
    ['a bad expectedRevision', { segment: 'x', expectedRevision: -1 }, 'expectedRevision', 'min'],
  ])('refuses %s with 400 and writes nothing', async (_name, body, field, code) => {
    const customerId = await registerCustomer(app);
    const before = await streamSnapshot(app, customerId);
    const error = expectError(await patch(customerId, body), 400, 'VALIDATION.FAILED');
    expect(error.details).toContainEqual(expect.objectContaining({ field, code }));
    await expectUnchanged(app, customerId, before);
  });

  it.each([
    ['no purpose', { granted: true }, 'purpose'],
    ['free text as purpose', { purpose: 'Ada Lovelace', granted: true }, 'purpose'],
    ['granted not a boolean', { purpose: 'marketing_email', granted: 'yes' }, 'granted'],
  ])('refuses a consent with %s with 400 and writes nothing', async (_name, body, field) => {
    const customerId = await registerCustomer(app);
    const before = await streamSnapshot(app, customerId);
    const error = expectError(await consent(customerId, body), 400, 'VALIDATION.FAILED');
    expect(error.details.map((detail) => detail.field)).toContain(field);
    await expectUnchanged(app, customerId, before);
  });

  it('answers 404 for an unknown customer and creates no stream', async () => {
    const customerId = newCustomerId();
    expectError(await patch(customerId, { segment: 'x' }), 404, 'CUSTOMER.NOT_FOUND');
    expectError(await consent(customerId, { purpose: 'sms', granted: false }), 404, 'CUSTOMER.NOT_FOUND');
    expect((await streamSnapshot(app, customerId)).statusCode).toBe(404);
  });

  it('answers 409 when expectedRevision is stale, and writes nothing', async () => {
    const customerId = await registerCustomer(app);
    await recordTouchpoint(app, customerId, { type: 'MessageLogged', channel: 'chat', direction: 'inbound' });
    const before = await streamSnapshot(app, customerId);
    expectError(
      await patch(customerId, { segment: 'x', expectedRevision: 0 }),
      409,
      'EVENT_STORE.WRONG_EXPECTED_REVISION',
    );
    expectError(
      await consent(customerId, { purpose: 'sms', granted: true, expectedRevision: 0 }),
      409,
      'EVENT_STORE.WRONG_EXPECTED_REVISION',
    );
    await expectUnchanged(app, customerId, before);
  });

  it('answers 410 for an erased customer', async () => {
    const customerId = await registerCustomer(app);
    expect((await app.post(`/admin/customers/${customerId}/erase`)).statusCode).toBe(200);
    const before = await streamSnapshot(app, customerId);
    expectError(await patch(customerId, { segment: 'x' }), 410, 'CUSTOMER.ERASED');
    expectError(await consent(customerId, { purpose: 'sms', granted: true }), 410, 'CUSTOMER.ERASED');
    await expectUnchanged(app, customerId, before);
  });

  describe('idempotency', () => {
    it('answers a retry with the original result, occurredAt chosen by the server or not', async () => {
      const customerId = await registerCustomer(app);
      const eventId = randomUUID();
      const first = await patch(customerId, { eventId, segment: 'vip' });
      const again = await patch(customerId, { eventId, segment: 'vip' }, { 'x-correlation-id': 'retry' });
      expect(again.statusCode).toBe(201);
      expect(again.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it.each([
      [
        'a profile update',
        (id: string, eventId: string, value: string) => patch(id, { eventId, segment: value }),
      ],
      [
        'a consent',
        (id: string, eventId: string, value: string) =>
          consent(id, { eventId, purpose: value, granted: true }),
      ],
      [
        'a touchpoint',
        (id: string, eventId: string, value: string) =>
          app.post(customerPath(id, '/touchpoints'), {
            eventId,
            type: 'EmailLogged',
            direction: 'inbound',
            campaignId: value,
          }),
      ],
      [
        'a registration',
        (id: string, eventId: string, value: string) =>
          app.post('/customers', { eventId, customerId: id, kind: 'person', name: value }),
      ],
    ])('refuses the same eventId with another payload for %s: 409, nothing written', async (_name, send) => {
      const customerId = newCustomerId();
      const eventId = randomUUID();
      if (_name !== 'a registration') await registerCustomer(app, customerId);
      expect((await send(customerId, eventId, 'first')).statusCode).toBe(201);
      const before = await streamSnapshot(app, customerId);
      const error = expectError(
        await send(customerId, eventId, 'second'),
        409,
        'IDEMPOTENCY.PAYLOAD_MISMATCH',
      );
      expect(error.details[0]?.field).toBe('eventId');
      await expectUnchanged(app, customerId, before);
    });

    it('refuses a retry with another occurredAt', async () => {
      const customerId = await registerCustomer(app);
      const eventId = randomUUID();
      await consent(customerId, {
        eventId,
        purpose: 'sms',
        granted: true,
        occurredAt: '2026-01-01T00:00:00Z',
      });
      const retry = await consent(customerId, {
        eventId,
        purpose: 'sms',
        granted: true,
        occurredAt: '2026-01-02T00:00:00Z',
      });
      expectError(retry, 409, 'IDEMPOTENCY.PAYLOAD_MISMATCH');
    });

    it('refuses a batch item reusing an eventId with another payload, and its customer group', async () => {
      const customerId = await registerCustomer(app);
      const eventId = randomUUID();
      await recordTouchpoint(app, customerId, {
        eventId,
        type: 'MessageLogged',
        channel: 'sms',
        direction: 'inbound',
      });
      const before = await streamSnapshot(app, customerId);
      const response = await app.post<{ items: readonly { status: string; error?: ErrorResponseBody }[] }>(
        '/touchpoints/batch',
        {
          items: [
            { customerId, type: 'MessageLogged', channel: 'chat', direction: 'inbound' },
            { customerId, eventId, type: 'MessageLogged', channel: 'whatsapp', direction: 'inbound' },
          ],
        },
      );
      expect(response.body.items.map((item) => item.error?.code)).toEqual([
        'BATCH.CUSTOMER_GROUP_REJECTED',
        'IDEMPOTENCY.PAYLOAD_MISMATCH',
      ]);
      await expectUnchanged(app, customerId, before);
    });
  });

  it('moves marketingConsentShare and avgProfileCompleteness for API users', async () => {
    const own = await TestApp.start();
    try {
      const at = '2026-02-01T00:00:00Z';
      const customerId = await registerCustomer(own, newCustomerId(), { occurredAt: at });
      const kpis = async (minPosition: number) => {
        const response = await own.get<KpiBody>(
          `/kpis?from=2026-01-01T00:00:00Z&to=2026-04-01T00:00:00Z&minPosition=${minPosition}`,
        );
        expect(response.statusCode).toBe(200);
        return response.body.total.informationManagement;
      };
      expect(await kpis(1)).toMatchObject({ avgProfileCompleteness: 0.25, marketingConsentShare: 0 });

      await own.request('PATCH', customerPath(customerId), {
        email: 'kpi@example.com',
        phone: '+44 20 7946 0000',
        segment: 'b2c',
        occurredAt: '2026-02-02T00:00:00Z',
      });
      const granted = await own.post<RecordedBody>(customerPath(customerId, '/consents'), {
        purpose: 'marketing_email',
        granted: true,
        occurredAt: '2026-02-03T00:00:00Z',
      });
      expect(await kpis(granted.body.globalPosition)).toMatchObject({
        avgProfileCompleteness: 1,
        marketingConsentShare: 1,
      });
    } finally {
      await own.stop();
    }
  });
});
