import { rmSync } from 'node:fs';
import { recordTouchpoint } from './support/api';
import { bootOnDataDir } from './support/data-dir-app';
import {
  call,
  email,
  journeyOf,
  kpisOf,
  purchase,
  type Reader,
  refund,
  registerAt,
  scoresOf,
  segmentPage,
  survey,
} from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

const AS_OF = '2025-06-01T00:00:00.000Z';
const CUSTOMERS = ['rs-ann', 'rs-bob', 'rs-cid', 'rs-dee'];

/** A little of everything the three projections look at; returns the last position written. */
async function recordHistory(app: TestApp): Promise<number> {
  let position = 0;
  const record = async (customerId: string, body: Record<string, unknown>): Promise<void> => {
    position = (await recordTouchpoint(app, customerId, body)).globalPosition;
  };
  await registerAt(app, 'rs-ann', '2025-01-01T00:00:00Z', { email: 'ann@example.com', segment: 'retail' });
  await registerAt(app, 'rs-bob', '2025-01-02T00:00:00Z', { kind: 'company', segment: 'smb' });
  await registerAt(app, 'rs-cid', '2025-01-03T00:00:00Z', { phone: '+44 20 7946 0000' });
  await registerAt(app, 'rs-dee', '2025-01-04T00:00:00Z');

  await record('rs-ann', call('inbound', '2025-01-05T00:00:00Z'));
  await record('rs-ann', purchase('a-1', 4000, '2025-01-10T00:00:00Z', { channel: 'store' }));
  await record('rs-ann', purchase('a-2', 2500, '2025-02-10T00:00:00Z'));
  await record('rs-ann', survey('nps', 10, '2025-02-11T00:00:00Z'));
  await record('rs-bob', purchase('b-1', 9000, '2025-03-01T00:00:00Z', { channel: 'phone' }));
  await record('rs-bob', refund('b-1', 9000, '2025-03-02T00:00:00Z'));
  await record('rs-cid', email('inbound', '2025-02-01T00:00:00Z'));
  await record('rs-cid', survey('csat', 4, '2025-02-02T00:00:00Z'));
  await record('rs-dee', purchase('d-1', 700, '2025-04-01T00:00:00Z'));
  // Back-dated, recorded last.
  await record('rs-ann', email('outbound', '2024-12-20T00:00:00Z'));
  return position;
}

/** Everything the read routes say about the history, at a fixed asOf. */
async function readEverything(app: Reader, position: number) {
  const params = { asOf: AS_OF, minPosition: position };
  const journeys = [];
  const scores = [];
  for (const customerId of CUSTOMERS) {
    journeys.push(await journeyOf(app, customerId, params));
    scores.push(await scoresOf(app, customerId, params));
  }
  return {
    journeys,
    scores,
    segments: await segmentPage(app, { ...params, sort: '-netRevenue' }),
    core: await segmentPage(app, { ...params, valueTier: 'core' }),
    kpis: await kpisOf(app, {
      from: '2024-12-01T00:00:00Z',
      to: '2025-06-01T00:00:00Z',
      granularity: 'month',
      minPosition: position,
    }),
  };
}

describe('read models across a restart', () => {
  let app: TestApp;
  let position: number;

  beforeEach(async () => {
    app = await TestApp.start();
    position = await recordHistory(app);
  });

  afterEach(async () => {
    await app.stop();
  });

  it('serves equal read models after a restart on the same data directory', async () => {
    const before = await readEverything(app, position);

    app = await app.restart();
    const after = await readEverything(app, position);

    expect(after).toEqual(before);
    expect(after.journeys[0]).toMatchObject({ stage: 'loyalty', touchpoints: 5 });
    expect(after.scores[1]?.differentiate.value.valueTier).toBe('below_zero');
    expect(after.kpis.meta).toEqual({ position, projectionLag: { events: 0, seconds: 0 } });
  });

  it('projects a write made after the restart exactly once, without re-applying older events', async () => {
    const before = await journeyOf(app, 'rs-dee', { minPosition: position });
    const kpisBefore = await kpisOf(app, { from: '2025-01-01T00:00:00Z', to: '2025-06-01T00:00:00Z' });

    app = await app.restart();
    const written = await recordTouchpoint(app, 'rs-dee', purchase('d-2', 300, '2025-05-01T00:00:00Z'));
    const after = await journeyOf(app, 'rs-dee', { minPosition: written.globalPosition });
    const kpisAfter = await kpisOf(app, {
      from: '2025-01-01T00:00:00Z',
      to: '2025-06-01T00:00:00Z',
      minPosition: written.globalPosition,
    });

    expect(written.globalPosition).toBe(position + 1);
    expect(after.touchpoints).toBe(before.touchpoints + 1);
    expect(after.timeline.items.map((item) => item.id)).toEqual([
      ...before.timeline.items.map((item) => item.id),
      written.eventId,
    ]);
    expect(after.stage).toBe('retention');
    expect(kpisAfter.total.valueCreation.orders).toBe(kpisBefore.total.valueCreation.orders + 1);
    expect(kpisAfter.total.valueCreation.revenue).toBe(kpisBefore.total.valueCreation.revenue + 300);
  });
});

describe('read models on disk', () => {
  it('are served by an app whose projections are off, with the checkpoint they were written at', async () => {
    const writer = await TestApp.start();
    const { dataDir } = writer.config;
    try {
      const position = await recordHistory(writer);
      const before = await readEverything(writer, position);
      await writer.app.close();

      const reader = await bootOnDataDir(dataDir, { PROJECTIONS: 'off', READ_WAIT_MS: '0' });
      try {
        expect(await readEverything(reader, position)).toEqual(before);
      } finally {
        await reader.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('are rebuilt equal from the log when the read store is deleted', async () => {
    const writer = await TestApp.start();
    const { dataDir } = writer.config;
    try {
      const position = await recordHistory(writer);
      const before = await readEverything(writer, position);
      await writer.app.close();
      const { readStore } = writer.config;
      if (readStore.kind !== 'sqlite') throw new Error('this test deletes the embedded read-store file');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${readStore.file}${suffix}`, { force: true });

      const rebuilt = await bootOnDataDir(dataDir, {});
      try {
        expect(await readEverything(rebuilt, position)).toEqual(before);
      } finally {
        await rebuilt.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
