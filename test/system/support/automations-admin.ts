import { setTimeout as sleep } from 'node:timers/promises';
import type { CrmClient } from '../../../tools/system/crm-client';

/** One reactor as `GET /admin/automations` shows it (the fields the system test reads). */
export type AutomationState = {
  readonly name: string;
  readonly checkpoint: number;
  readonly head: number;
  readonly lagEvents: number;
  readonly paused: boolean;
  readonly deadLetters: number;
  readonly pendingDeadlines: number;
  readonly lastError: string | null;
};

/** `GET /admin/automations` through an API: every reactor's state. */
export async function automationsOverview(client: CrmClient): Promise<AutomationState[]> {
  const { status, body } = await client.get('/admin/automations');
  const automations = (body as { automations?: unknown } | null)?.automations;
  if (status !== 200 || !Array.isArray(automations))
    throw new Error(`GET /admin/automations answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  return automations.map((raw: unknown) => {
    const r = raw as Record<string, unknown>;
    return {
      name: String(r['name']),
      checkpoint: Number(r['checkpoint']),
      head: Number(r['head']),
      lagEvents: Number(r['lagEvents']),
      paused: r['paused'] === true,
      deadLetters: Number(r['deadLetters']),
      pendingDeadlines: Number(r['pendingDeadlines']),
      lastError: typeof r['lastError'] === 'string' ? r['lastError'] : null,
    };
  });
}

/**
 * Resolves once every reactor has read the whole log (lag 0) and fired or
 * settled every deadline (none pending: the load's deadlines are all due by
 * the time it ends); fails at the deadline with the last state seen.
 */
export async function automationsCaughtUp(client: CrmClient, timeoutMs: number): Promise<AutomationState[]> {
  const deadline = Date.now() + timeoutMs;
  let last: AutomationState[] = [];
  for (;;) {
    last = await automationsOverview(client);
    if (last.length > 0 && last.every((r) => r.lagEvents === 0 && r.pendingDeadlines === 0)) return last;
    if (Date.now() > deadline) break;
    await sleep(250);
  }
  throw new Error(`the automations did not catch up within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}
