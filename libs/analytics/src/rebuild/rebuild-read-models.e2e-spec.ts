import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS } from '@crm/projections';
import { SqliteReadStore } from '@crm/read-store';
import { loadFixture } from '../../../projections/src/testing/crm-fixture';
import { rebuildReadModels } from './rebuild-read-models';

const REGISTER_TS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js');

// Each worker thread compiles the TypeScript it loads: on a loaded machine that alone took over 30 s.
jest.setTimeout(120_000);

describe('rebuildReadModels in worker threads', () => {
  let dir: string;
  let events: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-rebuild-'));
    events = await SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    await loadFixture(events);
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects naming the share that failed, and raises no checkpoint', async () => {
    const readStore = await SqliteReadStore.open({ file: join(dir, 'read.sqlite') });
    const rebuilding = rebuildReadModels(events, readStore, {
      workers: {
        count: 2,
        script: join(__dirname, 'testing', 'failing-share.worker.ts'),
        execArgv: ['-r', REGISTER_TS],
      },
    });

    await expect(rebuilding).rejects.toThrow(/Rebuild share [12] of 2 failed: no stores here \(test\)/);
    for (const projection of CUSTOMER_PROJECTIONS)
      expect(await readStore.checkpoint(projection.name)).toBe(0);
    await readStore.close();
  });
});
