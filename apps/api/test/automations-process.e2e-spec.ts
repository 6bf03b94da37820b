import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { newCustomerId, recordTouchpoint, registerCustomer } from './support/api';
import { eventually } from './support/admin';
import { TestApp } from './support/test-app';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER_TS = join(ROOT, 'test', 'support', 'register-ts.js');
const MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
const HOUR_MS = 3_600_000;

jest.setTimeout(120_000);

type StreamEvent = { type: string; metadata: Record<string, unknown> };
type Overview = { name: string; enabled: boolean; lagEvents: number; pendingDeadlines: number };

/** RUN_MODE=automations from the sources, as production runs it; resolves with its probes' base URL once booted. */
async function startAutomations(dataDir: string): Promise<{ child: ChildProcess; probes: string }> {
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, RUN_MODE: 'automations', PORT: '0', LOG_LEVEL: 'log' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const probes = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const booted = /CRM automations running .*health and metrics on (http:\/\/[^;\s]+)/.exec(output);
      if (booted?.[1]) resolve(booted[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) =>
      reject(new Error(`automations exited (${code ?? signal}): ${output}`)),
    );
  });
  return { child, probes };
}

describe('the automations process (RUN_MODE=automations)', () => {
  it('records what the API process takes in, serves its health and metrics, and stops on SIGTERM', async () => {
    // The API administers and records (RUN_MODE=api runs no reactor); the automations process reacts.
    const app = await TestApp.start({ RUN_MODE: 'api', PROJECTIONS: 'off', AUTOMATIONS: 'on' });
    let child: ChildProcess | null = null;
    try {
      const customerId = await registerCustomer(app, newCustomerId('proc'));
      await recordTouchpoint(app, customerId, {
        type: 'SupportCaseOpened',
        caseId: 'late',
        subject: 'Unanswered',
        occurredAt: new Date(Date.now() - 24 * HOUR_MS).toISOString(),
      });
      await recordTouchpoint(app, customerId, {
        type: 'SupportCaseOpened',
        caseId: 'done',
        subject: 'Solved',
      });
      await recordTouchpoint(app, customerId, {
        type: 'SupportCaseResolved',
        caseId: 'done',
        firstContact: true,
      });
      const before = await app.get<{ automations: Overview[] }>('/admin/automations');
      expect(before.body.automations.map((o) => [o.name, o.lagEvents > 0])).toEqual([
        ['feedback', true],
        ['service-level', true],
      ]);

      const started = await startAutomations(app.dataDir);
      child = started.child;
      const events = await eventually(
        async () =>
          (await app.get<{ events: StreamEvent[] }>(`/customers/${customerId}/events`)).body.events.filter(
            (e) => e.metadata.source === 'automations',
          ),
        (automated) => automated.length === 3,
        60_000,
      );
      expect(events.map((e) => e.type).sort()).toEqual([
        'FollowUpScheduled',
        'SupportCaseSlaBreached',
        'SurveyRequested',
      ]);
      const after = await eventually(
        async () => (await app.get<{ automations: Overview[] }>('/admin/automations')).body.automations,
        (all) => all.every((o) => o.lagEvents === 0),
      );
      expect(after.find((o) => o.name === 'service-level')).toMatchObject({
        enabled: true,
        pendingDeadlines: 1,
      });

      const ready = await fetch(`${started.probes}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await (await fetch(`${started.probes}/metrics`)).text()).toMatch(
        /crm_automation_outcomes_total\{automation="service-level",outcome="recorded"\} 2/,
      );

      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child?.once('exit', (code, signal) => resolve([code, signal])),
      );
      child.kill('SIGTERM');
      // The shutdown hooks stop the runners, then re-raise the signal: ended by it, not by an error.
      expect(await exited).toEqual([null, 'SIGTERM']);
      child = null;
    } finally {
      child?.kill('SIGKILL');
      await app.stop();
    }
  });
});
