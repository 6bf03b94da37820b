import { CUSTOMER_STREAM_PREFIX, customerStreamId } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { EVENT_STORE, type EventStore, type ReadAllOptions } from '@crm/event-store';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { digestOf } from '../../../libs/projections/src/testing/read-model-digest';
import { type ErrorResponseBody, customerPath, expectError, registerCustomer } from './support/api';
import { bearer } from './support/api-keys';
import { TestApp } from './support/test-app';

const LIVE_COLLECTIONS = ['journeys', 'idic', 'kpi_facts'];

type Call = { readonly path: string; readonly body?: unknown };
type Answer = { readonly status: number; readonly body: string };

/**
 * A history of `customers` customers with `perCustomer` events each (a
 * registration, purchases and calls), appended straight to the store, then
 * projected (the read waits for the head).
 */
async function writeHistory(app: TestApp, customers: number, perCustomer: number): Promise<string[]> {
  const store = app.app.get<EventStore>(EVENT_STORE);
  const ids = Array.from({ length: customers }, (_, n) => `bulk-${n}`);
  for (const [n, customerId] of ids.entries()) {
    const f = createEventFactory({ customerId, seed: n + 1, startAt: '2024-01-01T00:00:00Z' });
    await store.append(customerStreamId(customerId), [
      f.customerRegistered({ email: `${customerId}@example.com` }),
      ...Array.from({ length: perCustomer - 1 }, (_, i) =>
        i % 5 === 0 ? f.purchaseCompleted({ orderId: `o-${i}`, amount: 1000 + n }) : f.callLogged(),
      ),
    ]);
  }
  const head = await store.headPosition();
  const projected = await app.get(`${customerPath(ids[0] ?? '', '/journey')}?minPosition=${head}`);
  expect(projected.statusCode).toBe(200);
  return ids;
}

/**
 * Every slice is used up as soon as it starts, so each tick of a long read
 * gives the event loop a turn, however fast the machine: the tests below
 * then depend on where the reads tick, not on how long their pieces take.
 */
function sliceAtEveryTick(): () => void {
  let now = performance.now();
  const clock = jest.spyOn(performance, 'now').mockImplementation(() => (now += 1000));
  return () => clock.mockRestore();
}

/**
 * The slow analyst reads run on the one event loop the API has. They used
 * to hold it from their first page to their last: a journey read or an
 * ingest sent meanwhile waited for the whole replay. These tests go over
 * real sockets (Fastify's in-process inject would not wait on the event
 * loop the way a client does) and assert the order in which answers arrive,
 * never how long anything took.
 */
describe('long reads share the event loop', () => {
  let app: TestApp;
  let base: string;
  let ids: string[];
  let restoreClock: () => void;

  beforeAll(async () => {
    app = await TestApp.start({ READ_WAIT_MS: '60000' });
    ids = await writeHistory(app, 200, 50);
    await app.app.listen(0, '127.0.0.1');
    base = await app.app.getUrl();
  });
  afterAll(() => app.stop());
  beforeEach(() => (restoreClock = sliceAtEveryTick()));
  afterEach(() => restoreClock());

  const send = async (request: Call, order: string[]): Promise<Answer> => {
    const response = await fetch(`${base}${request.path}`, {
      method: request.body === undefined ? 'GET' : 'POST',
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      headers: { ...bearer(app.apiKey), 'content-type': 'application/json' },
    });
    const answer = { status: response.status, body: await response.text() };
    order.push(request.path);
    return answer;
  };

  /**
   * Sends `cheap` from inside the store's first read of a whole-log pass
   * (the one `isFirstPage` recognises), so that it is in flight while the
   * long read runs, whatever the machine's speed.
   */
  function sendDuringFirstPage(
    isFirstPage: (options: ReadAllOptions) => boolean,
    cheap: Call,
    order: string[],
  ): { answer: () => Promise<Answer>; restore: () => void } {
    const store = app.app.get<EventStore>(EVENT_STORE);
    const readAll = store.readAll.bind(store);
    let sent: Promise<Answer> | undefined;
    const spy = jest.spyOn(store, 'readAll').mockImplementation((options: ReadAllOptions = {}) => {
      if (sent === undefined && isFirstPage(options)) sent = send(cheap, order);
      return readAll(options);
    });
    return {
      answer: () => sent ?? Promise.reject(new Error('the long read never read its first page')),
      restore: () => spy.mockRestore(),
    };
  }

  /** Sends `long`, and `cheap` once `long` is reading the log; both answers, and the order they came in. */
  async function race(
    long: Call,
    isFirstPage: (options: ReadAllOptions) => boolean,
    cheap: Call,
  ): Promise<{ long: Answer; cheap: Answer; order: string[] }> {
    const order: string[] = [];
    const during = sendDuringFirstPage(isFirstPage, cheap, order);
    try {
      const longAnswer = await send(long, order);
      return { long: longAnswer, cheap: await during.answer(), order };
    } finally {
      during.restore();
    }
  }

  const replayPage = (options: ReadAllOptions): boolean =>
    options.after === 0 && options.streamPrefix === CUSTOMER_STREAM_PREFIX;

  it('answers a journey read sent during a what-if replay before the replay', async () => {
    const whatIf = { path: '/analytics/what-if', body: { limit: 1 } };
    const journey = { path: customerPath(ids[7] ?? '', '/journey') };

    const { long, cheap, order } = await race(whatIf, replayPage, journey);

    expect({ whatIf: long.status, journey: cheap.status }).toEqual({ whatIf: 200, journey: 200 });
    expect(JSON.parse(long.body)).toMatchObject({ summary: { customers: ids.length } });
    expect(order).toEqual([journey.path, whatIf.path]);
  });

  it('records a touchpoint sent during a time-travel KPI replay before the replay', async () => {
    // A bound inside a day: whole days would be read from the KPI counters, without a replay.
    const kpis = {
      path: '/analytics/kpis?asOf=2030-01-01T00:00:00Z&from=2024-01-01T00:00:00Z&to=2029-12-31T12:00:00Z',
    };
    const touchpoint = {
      path: customerPath(ids[9] ?? '', '/touchpoints'),
      body: { type: 'CallLogged', direction: 'inbound', durationSeconds: 30, outcome: 'connected' },
    };

    const { long, cheap, order } = await race(kpis, replayPage, touchpoint);

    expect({ kpis: long.status, touchpoint: cheap.status }).toEqual({ kpis: 200, touchpoint: 201 });
    expect(order).toEqual([touchpoint.path, kpis.path]);
  });

  it('answers a health check sent during a scan of the log that keeps nothing before the scan', async () => {
    const nothing = { path: '/events?occurredFrom=2100-01-01T00:00:00Z' };
    const health = { path: '/health/ready' };

    const { long, cheap, order } = await race(
      nothing,
      (options) => options.after === 0 && options.streamPrefix === undefined,
      health,
    );

    expect({ scan: long.status, health: cheap.status }).toEqual({ scan: 200, health: 200 });
    expect(long.body).toBe('');
    expect(order).toEqual([health.path, nothing.path]);
  });
});

describe('a replay over ANALYTICS_MAX_REPLAY_EVENTS', () => {
  let app: TestApp;
  let ada: string;

  beforeAll(async () => {
    app = await TestApp.start({ ANALYTICS_MAX_REPLAY_EVENTS: '3' });
    ada = await registerCustomer(app, undefined, { occurredAt: '2025-01-01T00:00:00Z' });
    for (const customerId of ['b', 'c'].map((suffix) => `${ada}-${suffix}`))
      await registerCustomer(app, customerId, { occurredAt: '2025-01-01T00:00:00Z' });
    const last = await app.post<{ globalPosition: number }>(customerPath(ada, '/touchpoints'), {
      type: 'CallLogged',
      direction: 'inbound',
      durationSeconds: 30,
      outcome: 'connected',
      occurredAt: '2025-02-01T00:00:00Z',
    });
    await app.get(`${customerPath(ada, '/journey')}?minPosition=${last.body.globalPosition}`);
  });
  afterAll(() => app.stop());

  const refusals: readonly (readonly [string, () => Promise<{ statusCode: number; body: unknown }>])[] = [
    ['POST /analytics/what-if', () => app.post('/analytics/what-if', {})],
    [
      'GET /analytics/customers/:id/scores (asOf inside a day)',
      () => app.get(`/analytics${customerPath(ada, '/scores')}?asOf=2026-01-01T12:00:00Z`),
    ],
    [
      'GET /analytics/kpis (a bound inside a day)',
      () =>
        app.get(
          '/analytics/kpis?asOf=2026-01-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2025-12-31T12:00:00Z',
        ),
    ],
  ];

  it.each(refusals)(
    '%s answers 422 ANALYTICS.TOO_LARGE before reading the log, naming the limit, and writes nothing',
    async (_route, request) => {
      const store = app.app.get<EventStore>(EVENT_STORE);
      const head = await store.headPosition();
      const models = await digestOf(app.app.get<ReadStore>(READ_STORE), LIVE_COLLECTIONS);
      const readAll = jest.spyOn(store, 'readAll');

      const body = expectError(await request(), 422, 'ANALYTICS.TOO_LARGE');
      const replayPages = readAll.mock.calls.filter(([options]) => options?.after === 0);
      readAll.mockRestore();

      expect(body).toEqual<ErrorResponseBody>({
        statusCode: 422,
        code: 'ANALYTICS.TOO_LARGE',
        message: expect.stringContaining(`The history holds ${head} events`) as string,
        details: [],
      });
      expect(body.message).toContain('at most 3 (ANALYTICS_MAX_REPLAY_EVENTS)');
      expect(replayPages).toEqual([]);
      expect(await store.headPosition()).toBe(head);
      expect(await digestOf(app.app.get<ReadStore>(READ_STORE), LIVE_COLLECTIONS)).toBe(models);
    },
  );

  it('still answers time-travel KPIs on whole days, which the KPI counters serve without a replay', async () => {
    const response = await app.get(
      '/analytics/kpis?asOf=2026-01-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );

    expect(response.statusCode).toBe(200);
  });

  it('still answers time-travel scores on whole days, which the rank counters serve without a replay', async () => {
    const response = await app.get(`/analytics${customerPath(ada, '/scores')}?asOf=2026-01-01T00:00:00Z`);

    expect(response.statusCode).toBe(200);
  });

  it('still answers a time-travel journey, which reads one customer’s stream only', async () => {
    const response = await app.get(`/analytics${customerPath(ada, '/journey')}?asOf=2026-01-01T00:00:00Z`);

    expect(response.statusCode).toBe(200);
  });
});
