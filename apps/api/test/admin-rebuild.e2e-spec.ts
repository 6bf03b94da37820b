import { createHash } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS, ProjectionRunner } from '@crm/projections';
import { READ_STORE, type ReadStore, SqliteReadStore } from '@crm/read-store';
import { expectError, recordTouchpoint } from './support/api';
import { documentsOf, eventually, projectionOf, type ProjectionBody } from './support/admin';
import { call, journeyOf, kpisOf, purchase, registerAt, scoresOf, segmentPage } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(120_000);

const CUSTOMERS = Array.from({ length: 40 }, (_, i) => `rb-${String(i).padStart(2, '0')}`);
const REBUILT = ['customer-journey', 'idic-scores'];
const KPI_RANGE = { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };

async function digest(store: ReadStore, collections: readonly string[]): Promise<string> {
  const documents = [];
  for (const collection of collections) documents.push(await documentsOf(store, collection));
  return createHash('sha256').update(JSON.stringify(documents)).digest('hex');
}

describe.each(['main', 'worker'])(
  'blue-green rebuild during continuous ingest (projections in the %s thread)',
  (thread) => {
    let app: TestApp;

    beforeAll(async () => {
      // Small batches: the rebuild takes many steps, while the writer keeps writing.
      app = await TestApp.start({ PROJECTION_BATCH_SIZE: '5', PROJECTIONS_THREAD: thread });
      for (const [i, customerId] of CUSTOMERS.entries()) {
        await registerAt(app, customerId, `2025-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`);
        await recordTouchpoint(app, customerId, call('inbound', '2025-02-01T00:00:00Z'));
        if (i % 2 === 0)
          await recordTouchpoint(
            app,
            customerId,
            purchase(`${customerId}-0`, 100 * (i + 1), '2025-02-02T00:00:00Z'),
          );
      }
      // A longer log, so that the rebuild takes a while (batches of 5 events).
      for (let round = 0; round < 3; round++) {
        const items = Array.from({ length: 1000 }, (_, n) => ({
          customerId: CUSTOMERS[n % CUSTOMERS.length],
          ...call(n % 2 ? 'inbound' : 'outbound', '2025-02-10T00:00:00Z'),
        }));
        const response = await app.post<{ created: number }>('/touchpoints/batch', { items });
        expect(response.body.created).toBe(1000);
      }
    });
    afterAll(() => app.stop());

    it('keeps reads answering from complete models and switches to a version equal to a clean rebuild', async () => {
      let writing = true;
      let reading = true;
      let written = 0;
      let lastPosition = 0;
      const writer = (async () => {
        for (let n = 0; writing; n++) {
          const customerId = CUSTOMERS[n % CUSTOMERS.length] ?? 'rb-00';
          const body =
            n % 3 === 0
              ? purchase(`${customerId}-w${n}`, 50 + n, '2025-03-01T00:00:00Z')
              : call('outbound', '2025-03-02T00:00:00Z');
          lastPosition = (await recordTouchpoint(app, customerId, body)).globalPosition;
          written++;
        }
      })();
      let reads = 0;
      const readProblems: string[] = [];
      const reader = (async () => {
        let seenMembers = 0;
        let seenPurchasers = 0;
        while (reading) {
          const members = (await segmentPage(app, { limit: 1000 })).items.length;
          const purchasers = (await segmentPage(app, { limit: 1000 })).items.filter(
            (m) => m.valueTier !== 'prospect',
          ).length;
          if (members < seenMembers) readProblems.push(`segment shrank from ${seenMembers} to ${members}`);
          if (purchasers < seenPurchasers)
            readProblems.push(`purchasers shrank from ${seenPurchasers} to ${purchasers}`);
          seenMembers = Math.max(seenMembers, members);
          seenPurchasers = Math.max(seenPurchasers, purchasers);
          const journey = await journeyOf(app, 'rb-03');
          if (journey.touchpoints < 1)
            readProblems.push(`journey lost its touchpoints: ${journey.touchpoints}`);
          await scoresOf(app, 'rb-04');
          await kpisOf(app, KPI_RANGE);
          reads++;
          // Reads of the embedded stores may settle without I/O: let timers and the writer have their turn.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();

      const stopBoth = async (): Promise<void> => {
        writing = false;
        reading = false;
        await Promise.allSettled([writer, reader]);
      };
      let writtenDuringRebuild = 0;
      try {
        await eventually(
          () => Promise.resolve(written),
          (n) => n >= 5,
        );
        const writtenBefore = written;
        // Two requests at once: one starts the rebuild, the other finds it running.
        const [journeyStarts, again] = await Promise.all([
          app.post<ProjectionBody>('/admin/projections/customer-journey/rebuild'),
          app.post<ProjectionBody>('/admin/projections/customer-journey/rebuild'),
        ]);
        const idicStarts = await app.post<ProjectionBody>('/admin/projections/idic-scores/rebuild');
        for (const started of [journeyStarts, idicStarts]) {
          expect(started.statusCode).toBe(202);
          expect(started.body.rebuild).toMatchObject({ version: 2, state: 'rebuilding' });
        }
        expectError(again, 409, 'PROJECTION.REBUILD_IN_PROGRESS');

        for (const name of REBUILT) {
          await eventually(
            () => projectionOf(app, name),
            (p) => p.version === 2 && p.rebuild === null,
            60_000,
          );
        }
        writtenDuringRebuild = written - writtenBefore;
        writing = false;
        await writer;
        await journeyOf(app, 'rb-00', { minPosition: lastPosition });
        reading = false;
        await reader;
      } finally {
        await stopBoth();
      }

      expect(readProblems).toEqual([]);
      expect(reads).toBeGreaterThan(0);
      expect(writtenDuringRebuild).toBeGreaterThan(0);
      expect(await projectionOf(app, 'customer-journey')).toMatchObject({
        version: 2,
        state: 'running',
        lag: { events: 0 },
      });
      expect(await projectionOf(app, 'payne-frow-kpis')).toMatchObject({ version: 1 });

      // The new versions equal a clean rebuild over the same log, and the old ones are cleared.
      const store = app.app.get<ReadStore>(READ_STORE);
      const events = app.app.get<EventStore>(EVENT_STORE);
      const clean = await SqliteReadStore.open({ file: ':memory:' });
      await new ProjectionRunner(events, clean, CUSTOMER_PROJECTIONS).catchUp();
      for (const [live, fresh] of [
        [['journeys_v2'], ['journeys']],
        [['idic_v2'], ['idic']],
      ] as const) {
        expect(await digest(store, live)).toBe(await digest(clean, fresh));
      }
      await eventually(
        async () => (await store.count('journeys')) + (await store.count('idic')),
        (left) => left === 0,
      );
      await clean.close();

      // The switch survives a restart: reads come from version 2, and writes keep landing there.
      app = await app.restart();
      expect((await projectionOf(app, 'customer-journey')).version).toBe(2);
      const next = await recordTouchpoint(app, 'rb-01', call('inbound', '2025-04-01T00:00:00Z'));
      const journey = await journeyOf(app, 'rb-01', { minPosition: next.globalPosition });
      expect(journey.timeline.items.map((item) => item.id)).toContain(next.eventId);
    });
  },
);
