import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';
import { loadFixture } from '../../testing/crm-fixture';
import { digestOf } from '../../testing/read-model-digest';
import { CUSTOMER_PROJECTIONS } from '../../runner/customer-projections';
import { ProjectionRunner } from './projection-runner';

const COLLECTIONS = CUSTOMER_PROJECTIONS.flatMap((projection) => projection.collections.map((c) => c.name));
const KILLS = 20;
const REGISTER_TS = join(__dirname, '..', '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const CHILD = join(__dirname, 'projection-runner.crash-child.ts');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function committed(stdout: string): number {
  return stdout.split('\ncommitted ').length - 1;
}

/** Starts the runner in its own process, lets it commit for a random while, then SIGKILLs it. */
async function runAndKill(eventsFile: string, readFile: string, order: string): Promise<void> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, CHILD, eventsFile, readFile, order], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_, signal) => resolve(signal)),
  );
  for (let waited = 0; !stdout.includes('ready'); waited += 10) {
    if (waited > 30_000 || child.exitCode !== null) throw new Error(`runner did not start: ${stderr}`);
    await sleep(10);
  }
  // Killed after a random number of commits (or a random while, once there is little left to
  // commit), so kills land in the middle of the work however fast this machine commits.
  const commits = Math.floor(Math.random() * 40);
  const patience = 20 + Math.random() * 130;
  for (let waited = 0; committed(stdout) < commits && waited < patience; waited += 2) await sleep(2);
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`runner ended by itself (${String(signal)}): ${stderr}`);
}

describe('ProjectionRunner killed with SIGKILL', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-runner-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['by-customer', 'log-order'])(
    `converges to a clean rebuild after ${KILLS} kills at random moments (%s)`,
    async (order) => {
      const eventsFile = join(dir, `events-${order}.sqlite`);
      const events = await SqliteEventStore.open({ file: eventsFile });
      await loadFixture(events);
      const head = await events.headPosition();

      const readFile = join(dir, `killed-${order}.sqlite`);
      const checkpoints: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        await runAndKill(eventsFile, readFile, order);
        const store = await SqliteReadStore.open({ file: readFile });
        checkpoints.push(
          Math.min(...(await Promise.all(CUSTOMER_PROJECTIONS.map((p) => store.checkpoint(p.name))))),
        );
        await store.close();
      }
      // The kills landed mid-way, not only after the runner had finished.
      expect(checkpoints.some((checkpoint) => checkpoint < head)).toBe(true);

      const resumed = await SqliteReadStore.open({ file: readFile });
      await new ProjectionRunner(events, resumed, CUSTOMER_PROJECTIONS).catchUp();
      const clean = await SqliteReadStore.open({ file: join(dir, `clean-${order}.sqlite`) });
      await new ProjectionRunner(events, clean, CUSTOMER_PROJECTIONS).catchUp();

      expect(await digestOf(resumed, COLLECTIONS)).toBe(await digestOf(clean, COLLECTIONS));
      await Promise.all([resumed.close(), clean.close(), events.close()]);
    },
    180_000,
  );
});
