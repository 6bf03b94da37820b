import { randomUUID } from 'node:crypto';
import { ProjectionRuntime } from '@crm/projections/runtime';
import { registerCustomer, recordTouchpoint } from './support/api';
import { eventually, projectionOf } from './support/admin';
import { Poison } from './support/poisoned-projections';
import { call, journeyOf, kpisOf, purchase, scoresOf } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(90_000);

type ReadyBody = {
  readonly status: 'up' | 'down';
  readonly checks: Readonly<Record<string, { readonly status: string; readonly reason?: string }>>;
};

const KPI_RANGE = { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' };

/*
 * The embedded default (PROJECTIONS_THREAD=worker): the projections run in
 * a worker thread on their own connections, and this thread answers from
 * what the worker last committed. Admin routes, dead letters and erasure
 * through the worker are in their suites (each run in both threads).
 */
describe('projections in a worker thread', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS_THREAD: 'worker' });
  });
  afterAll(() => app.stop());

  it('runs them in the worker and is ready', async () => {
    expect(app.app.get(ProjectionRuntime).thread()).toBe('worker');
    const ready = await app.get<ReadyBody>('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.body.checks.projections?.status).toBe('up');
  });

  it('reads its own writes: each read with minPosition sees the event the write acknowledged', async () => {
    const customerId = await registerCustomer(app);
    for (let n = 1; n <= 5; n++) {
      const written = await recordTouchpoint(app, customerId, call('inbound', `2025-01-0${n}T00:00:00Z`));
      const journey = await journeyOf(app, customerId, { minPosition: written.globalPosition });
      expect(journey.touchpoints).toBe(n);
      expect(journey.meta.position).toBeGreaterThanOrEqual(written.globalPosition);
    }
    const bought = await recordTouchpoint(app, customerId, purchase('o-1', 250, '2025-01-06T00:00:00Z'));
    const scores = await scoresOf(app, customerId, { minPosition: bought.globalPosition });
    expect(scores.differentiate.value.netRevenue).toBe(250);
  });

  it('never answers a report kept for a position before the worker committed the events up to it', async () => {
    const customerId = await registerCustomer(app);
    const first = await recordTouchpoint(app, customerId, purchase('k-1', 100, '2025-01-10T00:00:00Z'));
    const before = await kpisOf(app, { ...KPI_RANGE, minPosition: first.globalPosition });
    const second = await recordTouchpoint(app, customerId, purchase('k-2', 40, '2025-01-11T00:00:00Z'));
    const after = await kpisOf(app, { ...KPI_RANGE, minPosition: second.globalPosition });
    expect(after.meta.position).toBeGreaterThanOrEqual(second.globalPosition);
    expect(after.total.valueCreation.revenue - before.total.valueCreation.revenue).toBe(40);
    expect(after.total.valueCreation.orders - before.total.valueCreation.orders).toBe(1);
  });
});

describe('a projection worker that crashes', () => {
  let app: TestApp;
  const lines: string[] = [];
  /** Events the journey projection's worker thread dies on (exits), until taken out. */
  const fatal = new Poison('customer-journey', 'exit');

  beforeAll(async () => {
    app = await TestApp.start(
      // The restarted worker loads the sources again before it catches up: reads wait for it.
      { PROJECTIONS_THREAD: 'worker', LOG_LEVEL: 'error', READ_WAIT_MS: '60000' },
      { projectionSource: fatal.source, logSink: (line) => lines.push(line) },
    );
  });
  afterAll(async () => {
    await app.stop();
    fatal.dispose();
  });

  it('is logged and makes the app unready, is restarted, and catches up once the fault is gone', async () => {
    const customerId = await registerCustomer(app);
    const eventId = randomUUID();
    fatal.add(eventId);
    const written = await recordTouchpoint(app, customerId, {
      ...call('inbound', '2025-01-02T00:00:00Z'),
      eventId,
    });

    const down = await eventually(
      () => app.get<ReadyBody>('/health/ready'),
      (ready) => ready.statusCode === 503,
    );
    expect(down.body.checks.projections?.status).toBe('down');
    expect((await projectionOf(app, 'customer-journey')).state).toBe('failed');
    expect(lines.some((line) => line.includes('The projection worker stopped (exit code 70)'))).toBe(true);

    fatal.delete(eventId);
    const journey = await journeyOf(app, customerId, { minPosition: written.globalPosition });
    expect(journey.touchpoints).toBe(1);
    const up = await eventually(
      () => app.get<ReadyBody>('/health/ready'),
      (ready) => ready.statusCode === 200,
    );
    expect(up.body.checks.projections?.status).toBe('up');
    expect((await projectionOf(app, 'customer-journey')).state).toBe('running');
  });
});
