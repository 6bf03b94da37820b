import { randomUUID } from 'node:crypto';
import {
  type BatchBody,
  customerPath,
  expectError,
  IDEMPOTENT_REPLAY_HEADER,
  readEvents,
  type RecordedBody,
  recordTouchpoint,
  registerCustomer,
} from './support/api';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

describe('restart on the same DATA_DIR', () => {
  let app: TestApp;

  beforeEach(async () => {
    app = await TestApp.start();
  });

  afterEach(async () => {
    await app.stop();
  });

  it('serves the same streams after a restart', async () => {
    const ann = await registerCustomer(app, undefined, {
      email: 'ann@example.com',
      attributes: { tier: 'gold' },
    });
    await recordTouchpoint(app, ann, meeting());
    await recordTouchpoint(app, ann, {
      type: 'PurchaseCompleted',
      orderId: 'o-1',
      amount: 1200,
      currency: 'EUR',
      channel: 'app',
      items: [{ sku: 's', category: 'c', quantity: 2, unitAmount: 600 }],
    });
    const bob = await registerCustomer(app);
    await app.post('/touchpoints/batch', {
      items: [meeting({ customerId: bob }), meeting({ customerId: ann })],
    });
    const annBefore = await readEvents(app, ann);
    const bobBefore = await readEvents(app, bob);

    app = await app.restart();

    expect(await readEvents(app, ann)).toEqual(annBefore);
    expect(await readEvents(app, bob)).toEqual(bobBefore);
    expect(annBefore.streamRevision).toBe(3);
  });

  it('continues revisions and global positions after a restart', async () => {
    const customerId = await registerCustomer(app);
    const before = await recordTouchpoint(app, customerId, meeting());

    app = await app.restart();
    const after = await recordTouchpoint(app, customerId, meeting());

    expect(after.streamRevision).toBe(before.streamRevision + 1);
    expect(after.globalPosition).toBeGreaterThan(before.globalPosition);
  });

  it('still recognises an eventId recorded before the restart as a replay', async () => {
    const customerId = await registerCustomer(app);
    const body = meeting({ eventId: randomUUID() });
    const original = await recordTouchpoint(app, customerId, body);

    app = await app.restart();
    const replay = await app.post<RecordedBody>(customerPath(customerId, '/touchpoints'), body);
    const batchReplay = await app.post<BatchBody>('/touchpoints/batch', { items: [{ ...body, customerId }] });

    expect(replay.statusCode).toBe(201);
    expect(replay.body).toEqual(original);
    expect(replay.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
    expect(batchReplay.body.items[0]).toMatchObject({
      status: 'duplicate',
      streamRevision: original.streamRevision,
    });
    expect((await readEvents(app, customerId)).streamRevision).toBe(1);
  });

  it('still enforces the rules that depend on history recorded before the restart', async () => {
    const customerId = await registerCustomer(app);
    await recordTouchpoint(app, customerId, {
      type: 'PurchaseCompleted',
      orderId: 'o-1',
      amount: 1000,
      currency: 'EUR',
      channel: 'web',
    });
    await recordTouchpoint(app, customerId, {
      type: 'PurchaseRefunded',
      orderId: 'o-1',
      amount: 800,
      currency: 'EUR',
    });

    app = await app.restart();
    const refund = { type: 'PurchaseRefunded', orderId: 'o-1', amount: 201, currency: 'EUR' };
    const tooMuch = await app.post(customerPath(customerId, '/touchpoints'), refund);
    const reRegistration = await app.post('/customers', { kind: 'person', name: 'Again', customerId });

    expectError(tooMuch, 422, 'REFUND.EXCEEDS_PAID');
    expectError(reRegistration, 409, 'CUSTOMER.ALREADY_REGISTERED');
    expect((await readEvents(app, customerId)).streamRevision).toBe(2);
  });

  it('honours expectedRevision against the stream as persisted', async () => {
    const customerId = await registerCustomer(app);
    await recordTouchpoint(app, customerId, meeting());

    app = await app.restart();
    const stale = await app.post(customerPath(customerId, '/touchpoints'), meeting({ expectedRevision: 0 }));
    const current = await app.post<RecordedBody>(
      customerPath(customerId, '/touchpoints'),
      meeting({ expectedRevision: 1 }),
    );

    expectError(stale, 409, 'EVENT_STORE.WRONG_EXPECTED_REVISION');
    expect(current.statusCode).toBe(201);
    expect(current.body.streamRevision).toBe(2);
  });
});
