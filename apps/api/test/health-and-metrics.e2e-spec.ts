import { DEAD_LETTER_COLLECTION_SPEC, type DeadLetterDocument } from '@crm/projections';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { recordTouchpoint, registerCustomer } from './support/api';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

type CheckBody = { readonly status: 'up' | 'down'; readonly reason?: string } & Record<string, unknown>;
type ReadyBody = { readonly status: 'up' | 'down'; readonly checks: Readonly<Record<string, CheckBody>> };

/** The value of one sample in Prometheus text, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(app: TestApp): Promise<string> {
  const response = await app.as(null).app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body;
}

describe('health', () => {
  let app: TestApp;

  beforeEach(async () => {
    app = await TestApp.start();
  });

  afterEach(async () => {
    await app.stop();
  });

  it('says the process is live', async () => {
    const response = await app.as(null).get('/health/live');

    expect(response).toMatchObject({ statusCode: 200, body: { status: 'up' } });
  });

  it('is ready when the event store, the read store and the projections answer', async () => {
    await registerCustomer(app);

    const response = await app.as(null).get<ReadyBody>('/health/ready');

    expect(response.statusCode).toBe(200);
    expect(response.body.status).toBe('up');
    expect(response.body.checks).toEqual({
      eventStore: { status: 'up', headPosition: 1 },
      readStore: { status: 'up' },
      projections: expect.objectContaining({ status: 'up' }) as CheckBody,
    });
  });

  it('turns 503 when the read store is closed, naming the check and its reason', async () => {
    await app.app.get<ReadStore>(READ_STORE).close();

    const response = await app.as(null).get<ReadyBody>('/health/ready');

    expect(response.statusCode).toBe(503);
    expect(response.body.status).toBe('down');
    expect(response.body.checks.readStore).toEqual({ status: 'down', reason: 'READ_STORE.UNAVAILABLE' });
    expect(response.body.checks.eventStore?.status).toBe('up');
  });
});

describe('metrics', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Projections off: the lag is then exactly the events written, whatever the timing.
    app = await TestApp.start({ PROJECTIONS: 'off' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('counts requests by route pattern, method and status', async () => {
    const customerId = await registerCustomer(app);
    await recordTouchpoint(app, customerId, meeting());
    await recordTouchpoint(app, customerId, meeting());

    const text = await scrape(app);

    expect(
      sample(text, 'crm_http_request_duration_seconds_count{method="POST",route="/customers",status="201"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'crm_http_request_duration_seconds_count{method="POST",route="/customers/:customerId/touchpoints",status="201"}',
      ),
    ).toBe(2);
  });

  it('observes append latency and counts events written, not idempotent repeats', async () => {
    const before = await scrape(app);
    const customerId = await registerCustomer(app);
    const body = meeting({ eventId: '0b6a3c9e-4f7d-4f55-9a0e-5c1d2e3f4a5b' });
    await recordTouchpoint(app, customerId, body);
    await recordTouchpoint(app, customerId, body);

    const after = await scrape(app);

    const appends = (text: string): number =>
      sample(text, 'crm_event_store_append_duration_seconds_count{outcome="ok"}') ?? 0;
    const written = (text: string): number => sample(text, 'crm_event_store_appended_events_total') ?? 0;
    expect(appends(after) - appends(before)).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'crm_event_store_append_duration_seconds_sum{outcome="ok"}')).toBeGreaterThan(0);
    expect(written(after) - written(before)).toBe(2);
  });

  it('reports projection lag in events and seconds per projection', async () => {
    const text = await scrape(app);
    const head = sample(text, 'crm_event_store_appended_events_total');

    for (const projection of ['customer-journey', 'idic-scores', 'payne-frow-kpis']) {
      expect(sample(text, `crm_projection_lag_events{projection="${projection}"}`)).toBe(head);
      expect(sample(text, `crm_projection_lag_seconds{projection="${projection}"}`)).toBeGreaterThanOrEqual(
        0,
      );
    }
  });

  it('counts open dead letters, zero when there are none', async () => {
    expect(sample(await scrape(app), 'crm_dead_letters_open')).toBe(0);

    const readStore = app.app.get<ReadStore>(READ_STORE);
    await readStore.ensureCollections([DEAD_LETTER_COLLECTION_SPEC]);
    const letter = (eventId: string, status: DeadLetterDocument['status']): DeadLetterDocument => ({
      id: `customer-journey:${eventId}`,
      position: 1,
      projection: 'customer-journey',
      eventId,
      streamId: 'customer-x',
      customerId: 'x',
      type: 'MeetingHeld',
      error: 'boom',
      attempts: 1,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      lastFailedAt: '2026-01-01T00:00:00.000Z',
      status,
      source: 'embedded',
    });
    await readStore.commit({
      projection: 'dead-letter-fixture',
      position: 1,
      writes: [
        { kind: 'put', collection: 'dead_letters', document: letter('e-1', 'open') },
        { kind: 'put', collection: 'dead_letters', document: letter('e-2', 'skipped') },
      ],
    });

    expect(sample(await scrape(app), 'crm_dead_letters_open')).toBe(1);
  });

  it('exports the process default metrics', async () => {
    const text = await scrape(app);

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe.each(['main', 'worker'])('read visibility, projections in the %s thread', (thread) => {
  let app: TestApp;

  beforeEach(async () => {
    app = await TestApp.start({ PROJECTIONS_THREAD: thread });
  });

  afterEach(async () => {
    await app.stop();
  });

  it('times every event from its commit to the log until reads here see it', async () => {
    const customerId = await registerCustomer(app);
    const recorded = await recordTouchpoint(app, customerId, meeting());
    const read = await app.get(`/customers/${customerId}/journey?minPosition=${recorded.globalPosition}`);
    expect(read.statusCode).toBe(200);

    const text = await scrape(app);

    const appended = sample(text, 'crm_event_store_appended_events_total');
    expect(appended).toBe(2);
    expect(sample(text, 'crm_projection_visible_seconds_count')).toBe(appended);
    expect(sample(text, 'crm_projection_visible_seconds_bucket{le="+Inf"}')).toBe(appended);
    // Commit to visible takes some time, and on a test machine well under a minute.
    expect(sample(text, 'crm_projection_visible_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'crm_projection_visible_seconds_bucket{le="60"}')).toBe(appended);
  });
});
