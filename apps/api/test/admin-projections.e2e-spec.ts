import { customerPath, expectError, newCustomerId, recordTouchpoint, registerCustomer } from './support/api';
import { eventually, projectionOf, projectionsOf } from './support/admin';
import { call, journeyOf } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

const NAMES = [
  'customer-journey',
  'idic-scores',
  'payne-frow-kpis',
  'follow-ups',
  'campaign-performance',
  'customer-portfolio',
  'identity-index',
];

describe.each(['main', 'worker'])('projection admin routes (projections in the %s thread)', (thread) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ READ_WAIT_MS: '200', PROJECTIONS_THREAD: thread });
  });
  afterAll(() => app.stop());

  it('lists every projection with its version, state, checkpoint, head, lag, rate and errors', async () => {
    const customerId = await registerCustomer(app);
    const { globalPosition } = await recordTouchpoint(
      app,
      customerId,
      call('inbound', '2025-01-02T00:00:00Z'),
    );
    await journeyOf(app, customerId, { minPosition: globalPosition });

    const projections = await eventually(
      () => projectionsOf(app),
      (all) => all.every((p) => p.checkpoint === globalPosition),
    );
    expect(projections.map((p) => p.name)).toEqual(NAMES);
    for (const projection of projections) {
      expect(projection).toMatchObject({
        version: 1,
        state: 'running',
        headPosition: globalPosition,
        lag: { events: 0, seconds: 0 },
        errors: { lastError: null, deadLettered: 0, deadLettersOpen: 0 },
        rebuild: null,
      });
      expect(projection.eventsPerSecond).toBeGreaterThan(0);
    }
    const listed = await app.get<{ transport: unknown }>('/admin/projections');
    // The store's log feeds the runner in order: no partitions.
    expect(listed.body.transport).toEqual({ kind: 'direct', partitions: [] });
  });

  it('pauses a projection: reads keep answering as of its checkpoint, minPosition past it is a 409 naming it, lag grows; resume catches up', async () => {
    const customerId = await registerCustomer(app);
    const before = await recordTouchpoint(app, customerId, call('inbound', '2025-01-02T00:00:00Z'));
    await journeyOf(app, customerId, { minPosition: before.globalPosition });

    const paused = await app.post<{ state: string }>('/admin/projections/customer-journey/pause');
    expect(paused.statusCode).toBe(200);
    expect(paused.body.state).toBe('paused');

    const written = await recordTouchpoint(app, customerId, call('outbound', '2025-01-03T00:00:00Z'));
    const stale = await app.get(customerPath(customerId, `/journey?minPosition=${written.globalPosition}`));
    // Waiting could not help: it says which projection holds the read, not "retry shortly".
    const held = expectError(stale, 409, 'PROJECTION.PAUSED');
    expect(held.details).toEqual([
      {
        field: 'minPosition',
        code: 'paused',
        message: 'projection customer-journey is paused (POST /admin/projections/customer-journey/resume)',
      },
    ]);
    expect(held.message).toContain(
      `reflect position ${before.globalPosition}, not yet ${written.globalPosition}`,
    );
    // A position it had applied before the pause is still read at once.
    const applied = await app.get(customerPath(customerId, `/journey?minPosition=${before.globalPosition}`));
    expect(applied.statusCode).toBe(200);
    expect((await journeyOf(app, customerId)).touchpoints).toBe(1);

    const [journey, idic] = await eventually(
      async () => [await projectionOf(app, 'customer-journey'), await projectionOf(app, 'idic-scores')],
      ([, scores]) => scores?.checkpoint === written.globalPosition,
    );
    expect(journey).toMatchObject({ state: 'paused', checkpoint: before.globalPosition });
    expect(journey?.lag.events).toBe(written.globalPosition - before.globalPosition);
    expect(journey?.lag.seconds).toBeGreaterThanOrEqual(0);
    expect(idic).toMatchObject({ state: 'running', lag: { events: 0, seconds: 0 } });

    const resumed = await app.post<{ state: string }>('/admin/projections/customer-journey/resume');
    expect(resumed.statusCode).toBe(200);
    expect(resumed.body.state).toBe('running');
    const caughtUp = await journeyOf(app, customerId, { minPosition: written.globalPosition });
    expect(caughtUp.touchpoints).toBe(2);
  });

  it('answers 404 for an unknown projection', async () => {
    for (const action of ['pause', 'resume', 'rebuild']) {
      expectError(await app.post(`/admin/projections/no-such/${action}`), 404, 'PROJECTION.NOT_FOUND');
    }
  });
});

type StreamBody = {
  readonly streamId: string;
  readonly revision: number;
  readonly firstRecordedAt: string;
  readonly lastRecordedAt: string;
  readonly events: readonly { readonly eventId: string; readonly revision: number; readonly type: string }[];
  readonly nextRevision: number | null;
};

describe('GET /admin/streams/:id', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('pages a stream by revision, with its revision and first and last recordedAt', async () => {
    const customerId = await registerCustomer(app, newCustomerId('stream'));
    await recordTouchpoint(app, customerId, call('inbound', '2025-01-02T00:00:00Z'));
    await recordTouchpoint(app, customerId, call('outbound', '2025-01-03T00:00:00Z'));
    const streamId = encodeURIComponent(`customer-${customerId}`);

    const whole = await app.get<StreamBody>(`/admin/streams/${streamId}`);
    expect(whole.statusCode).toBe(200);
    expect(whole.body).toMatchObject({ streamId: `customer-${customerId}`, revision: 2, nextRevision: null });
    expect(whole.body.events.map((e) => e.type)).toEqual(['CustomerRegistered', 'CallLogged', 'CallLogged']);
    expect(whole.body.firstRecordedAt <= whole.body.lastRecordedAt).toBe(true);

    const page = await app.get<StreamBody>(`/admin/streams/${streamId}?fromRevision=1&limit=1`);
    expect(page.body.events.map((e) => e.revision)).toEqual([1]);
    expect(page.body.nextRevision).toBe(2);
    expect(page.body.firstRecordedAt).toBe(whole.body.firstRecordedAt);
  });

  it('answers 404 for a missing stream and 400 for a bad page', async () => {
    expectError(await app.get('/admin/streams/customer-nobody'), 404, 'STREAM.NOT_FOUND');
    expectError(await app.get('/admin/streams/customer-nobody?limit=0'), 400, 'VALIDATION.FAILED');
  });
});
