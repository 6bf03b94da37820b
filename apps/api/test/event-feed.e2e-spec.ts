import type { AddressInfo } from 'node:net';
import { expectError, fieldsOf, newCustomerId, recordTouchpoint, registerCustomer } from './support/api';
import { bearer } from './support/api-keys';
import { type Frame, nextEvent, openFeed } from './support/sse';
import { TestApp } from './support/test-app';

describe('GET /events/stream (the live feed)', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS: 'off', FEED_HEARTBEAT_MS: '150', FEED_STALL_MS: '2000' });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.stop());

  const auth = (): Record<string, string> => bearer(app.apiKey);
  const logLines = async (): Promise<string[]> => {
    const response = await app.app.inject({ method: 'GET', url: '/events', headers: auth() });
    return response.body.split('\n').filter((line) => line !== '');
  };
  const headPosition = async (): Promise<number> => (await logLines()).length;

  it('hands out exactly the log to a client that hangs up at random and resumes with Last-Event-ID', async () => {
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, index) => registerCustomer(app, newCustomerId(`feed${index}`))),
    );
    // Writes go on while the client reads, drops and resumes.
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          customers.map((customerId, index) =>
            recordTouchpoint(app, customerId, {
              type: 'CallLogged',
              direction: 'inbound',
              durationSeconds: round * 10 + index,
              outcome: 'connected',
              occurredAt: '2025-01-10T10:00:00Z',
            }),
          ),
        );
      }
      writing = false;
    })();

    const received: Frame[] = [];
    let lastId: string | undefined;
    let connections = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (;;) {
      const feed = await openFeed(port, '/events/stream', {
        ...auth(),
        ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
      });
      connections++;
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const take = 1 + Math.floor(random() * 40);
      let caughtUp = false;
      for (let taken = 0; taken < take; taken++) {
        const head = writing ? Infinity : await headPosition();
        if (lastId !== undefined && Number(lastId) >= head) {
          caughtUp = true;
          break;
        }
        const frame = await nextEvent(feed);
        received.push(frame);
        lastId = frame.id;
      }
      feed.close();
      if (caughtUp && !writing) break;
    }
    await writer;

    expect(connections).toBeGreaterThan(5);
    const lines = await logLines();
    expect(received.map((frame) => Number(frame.id))).toEqual(lines.map((_, index) => index + 1));
    expect(received.map((frame) => frame.data)).toEqual(lines);
  });

  it('keeps to the types and the customer asked for, from afterPosition', async () => {
    const ada = await registerCustomer(app, newCustomerId('feed-ada'));
    const after = await headPosition();
    const adam = await registerCustomer(app, `${ada}m`);
    for (const customerId of [ada, adam]) {
      await recordTouchpoint(app, customerId, {
        type: 'SurveyAnswered',
        surveyType: 'nps',
        score: 9,
        occurredAt: '2025-03-10T10:00:00Z',
      });
    }
    const feed = await openFeed(
      port,
      `/events/stream?types=SurveyAnswered&customerId=${ada}&afterPosition=${after}`,
      auth(),
    );
    try {
      const frame = await nextEvent(feed);
      const event = JSON.parse(frame.data ?? '{}') as { streamId: string; type: string; position: number };
      expect(event).toMatchObject({ streamId: `customer-${ada}`, type: 'SurveyAnswered' });
      expect(frame.id).toBe(String(event.position));
      // Nothing else comes: only heartbeats while the feed idles at the head.
      for (let beat = 0; beat < 3; beat++) expect(await feed.next(2000)).toEqual({ comment: 'heartbeat' });
    } finally {
      feed.close();
    }
  });

  it('refuses replay bounds and a bad Last-Event-ID with 400, naming each, before streaming', async () => {
    const response = await app.get('/events/stream?limit=5&toPosition=9&types=Teleported', {
      'last-event-id': 'yesterday',
    });
    const body = expectError(response, 400, 'VALIDATION.FAILED');
    expect(fieldsOf(body).sort()).toEqual(['Last-Event-ID', 'limit', 'toPosition', 'types']);
    expect(response.headers['content-type']).toMatch(/application\/json/);
  });
});

describe('GET /events/stream when the server stops', () => {
  it('ends each open feed with event: end, reason shutdown, and the last position sent', async () => {
    const app = await TestApp.start({ PROJECTIONS: 'off' });
    await app.app.listen(0, '127.0.0.1');
    const port = (app.app.getHttpServer().address() as AddressInfo).port;
    const customerId = await registerCustomer(app, newCustomerId('feed-stop'));
    const feed = await openFeed(port, '/events/stream', bearer(app.apiKey));
    const first = await nextEvent(feed);
    expect(JSON.parse(first.data ?? '{}')).toMatchObject({ streamId: `customer-${customerId}` });

    const stopping = app.stop();
    const end = await nextEvent(feed);
    await stopping;
    expect(end).toEqual({ event: 'end', data: JSON.stringify({ reason: 'shutdown', lastPosition: 1 }) });
  });
});

describe('GET /customers/changes/stream (read model changes)', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await TestApp.start({ FEED_HEARTBEAT_MS: '150' });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.stop());

  it("announces each customer event once the customer's read models reflect it, in log order", async () => {
    const feed = await openFeed(port, '/customers/changes/stream', bearer(app.apiKey));
    try {
      const ada = await registerCustomer(app, newCustomerId('chg-ada'));
      const bob = await registerCustomer(app, newCustomerId('chg-bob'));
      for (const [customerId, amount] of [
        [ada, 1200],
        [bob, 300],
        [ada, 50],
      ] as const) {
        await recordTouchpoint(app, customerId, {
          type: 'PurchaseCompleted',
          orderId: newCustomerId('o'),
          amount,
          currency: 'EUR',
          channel: 'web',
          occurredAt: '2025-02-10T10:00:00Z',
        });
      }
      const changes: { customerId: string; readModels: string[]; position: number; eventType: string }[] = [];
      for (let index = 0; index < 5; index++) {
        const frame = await nextEvent(feed);
        const change = JSON.parse(frame.data ?? '{}') as (typeof changes)[number];
        expect(frame.id).toBe(String(change.position));
        // Read right away, the customer's journey already reflects the change.
        const journey = await app.get(`/customers/${change.customerId}/journey`);
        expect((journey.body as { meta: { position: number } }).meta.position).toBeGreaterThanOrEqual(
          change.position,
        );
        changes.push(change);
      }
      expect(changes.map(({ customerId, eventType }) => [customerId, eventType])).toEqual([
        [ada, 'CustomerRegistered'],
        [bob, 'CustomerRegistered'],
        [ada, 'PurchaseCompleted'],
        [bob, 'PurchaseCompleted'],
        [ada, 'PurchaseCompleted'],
      ]);
      expect(changes.map((change) => change.position)).toEqual([1, 2, 3, 4, 5]);
      expect(changes.every((change) => change.readModels.join() === 'journey,scores')).toBe(true);
    } finally {
      feed.close();
    }
  });

  it('keeps to one customer, resumes after Last-Event-ID, and refuses the filters it does not take', async () => {
    const ada = await registerCustomer(app, newCustomerId('chg-one'));
    const other = await registerCustomer(app, newCustomerId('chg-other'));
    for (const customerId of [other, ada, other, ada]) {
      await recordTouchpoint(app, customerId, {
        type: 'SurveyAnswered',
        surveyType: 'nps',
        score: 9,
        occurredAt: '2025-03-10T10:00:00Z',
      });
    }
    const first = await openFeed(port, `/customers/changes/stream?customerId=${ada}`, bearer(app.apiKey));
    const registered = await nextEvent(first);
    first.close();
    const resumed = await openFeed(port, `/customers/changes/stream?customerId=${ada}`, {
      ...bearer(app.apiKey),
      'last-event-id': registered.id ?? '',
    });
    try {
      const seen = [];
      for (let index = 0; index < 2; index++) seen.push(JSON.parse((await nextEvent(resumed)).data ?? '{}'));
      expect(seen).toEqual([
        expect.objectContaining({ customerId: ada, eventType: 'SurveyAnswered' }),
        expect.objectContaining({ customerId: ada, eventType: 'SurveyAnswered' }),
      ]);
      expect(await resumed.next(2000)).toEqual({ comment: 'heartbeat' });
    } finally {
      resumed.close();
    }
    const refused = await app.get('/customers/changes/stream?types=CallLogged');
    expect(fieldsOf(expectError(refused, 400, 'VALIDATION.FAILED'))).toEqual(['types']);
  });
});
