import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { systemClock } from '@crm/platform';
import { automatedEventId, RULES } from '../ids/automation-ids';
import { ReactorHarness } from '../testing/reactor-harness';

const KILLS = 20;
const CUSTOMERS = 60;
const REGISTER_TS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const CHILD = join(__dirname, 'reactor-runner.crash-child.ts');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the reactors in their own process, lets them record for a random while, then SIGKILLs it. */
async function runAndKill(dir: string): Promise<void> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, CHILD, dir], {
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
    if (waited > 30_000 || child.exitCode !== null) throw new Error(`reactors did not start: ${stderr}`);
    await sleep(10);
  }
  // Killed after a random number of recorded triggers (or a random while, once little is left),
  // so kills land between an append and the checkpoint as well as anywhere else.
  const records = Math.floor(Math.random() * 8);
  const patience = 10 + Math.random() * 150;
  const recorded = () => stdout.split('\nrecorded ').length - 1;
  for (let waited = 0; recorded() < records && waited < patience; waited += 2) await sleep(2);
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`reactors ended by themselves (${String(signal)}): ${stderr}`);
}

/** Customer i: a case opened in January 2026 (due long ago); every third answered in time, every second resolved. */
function history(i: number): { customerId: string; events: CrmEvent[]; expected: string[] } {
  const customerId = `crash-${i}`;
  const f = createEventFactory({ customerId, seed: i + 1 });
  const openedAt = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
  const opened = f.supportCaseOpened(
    { caseId: 'c', priority: ['high', 'normal', 'low'][i % 3] },
    { occurredAt: openedAt },
  );
  const events: CrmEvent[] = [f.customerRegistered({}, { occurredAt: '2025-12-31T00:00:00.000Z' }), opened];
  const expected: string[] = [];
  if (i % 3 === 0) events.push(f.supportCaseResponded({ caseId: 'c' }, { occurredAt: openedAt }));
  else
    expected.push(
      automatedEventId(opened.eventId, RULES.breach),
      automatedEventId(opened.eventId, RULES.followUp),
    );
  if (i % 2 === 0) {
    const resolved = f.supportCaseResolved(
      { caseId: 'c' },
      { occurredAt: new Date(Date.parse(openedAt) + 1000).toISOString() },
    );
    events.push(resolved);
    expected.push(automatedEventId(resolved.eventId, RULES.surveyRequest));
  }
  return { customerId, events, expected };
}

describe('reactors killed with SIGKILL', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-reactors-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`leave each automated event in the log exactly once after ${KILLS} kills at random moments`, async () => {
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => history(i));
    const expected = customers.flatMap((c) => c.expected).sort();
    const setup = await ReactorHarness.open(dir, systemClock);
    for (const { customerId, events } of customers) await setup.record(customerId, ...events);
    await setup.close();

    const automatedSoFar: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(dir);
      const look = await ReactorHarness.open(dir, systemClock);
      automatedSoFar.push((await look.log()).filter((e) => e.metadata.source === 'automations').length);
      await look.close();
    }
    // The kills landed mid-way, not only once everything was recorded.
    expect(automatedSoFar.some((n) => n > 0 && n < expected.length)).toBe(true);

    const last = await ReactorHarness.open(dir, systemClock);
    await last.drain();
    const automated = (await last.log()).filter((e) => e.metadata.source === 'automations');
    expect(automated.map((e) => e.eventId).sort()).toEqual(expected);
    const overviews = await last.admin().all();
    const head = await last.events.headPosition();
    expect(overviews.map((o) => [o.name, o.checkpoint, o.deadLetters, o.pendingDeadlines])).toEqual([
      ['feedback', head, 0, 0],
      ['service-level', head, 0, 0],
    ]);
    await last.close();
  }, 120_000);
});
