import type { Answer, CrmClient } from './crm-client';
import { customerId, registrationBody, touchpointBody } from './touchpoint-mix';

/** One acknowledged write: whose, through which API, where it landed in the log. */
export type AcknowledgedWrite = {
  readonly index: number;
  readonly customerId: string;
  /** Index into the clients: which API took it. */
  readonly api: number;
  readonly eventId: string;
  readonly globalPosition: number;
  /** performance.now() when the answer arrived. */
  readonly acknowledgedAt: number;
};

export type RefusedWrite = { readonly index: number; readonly api: number; readonly answer: Answer };

export type LoadResult = {
  readonly acknowledged: AcknowledgedWrite[];
  readonly refused: RefusedWrite[];
  readonly elapsedMs: number;
};

/** Runs `total` tasks with at most `concurrency` in flight, in index order. */
async function inParallel(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/** Registers `count` customers, round robin over the APIs; fails on the first refusal. */
export async function registerCustomers(
  clients: readonly CrmClient[],
  prefix: string,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => customerId(prefix, index));
  await inParallel(count, concurrency, async (index) => {
    const client = clients[index % clients.length];
    const id = ids[index];
    if (client === undefined || id === undefined) throw new Error('no client or customer');
    let refusal: Answer | null = null;
    const ack = await client.register(registrationBody(id, index), (answer) => (refusal = answer));
    if (ack === null) throw new Error(`registering ${id} was refused: ${JSON.stringify(refusal)}`);
  });
  return ids;
}

export type TouchpointLoad = {
  readonly clients: readonly CrmClient[];
  readonly customers: readonly string[];
  readonly count: number;
  readonly concurrency: number;
  /** Index of the first touchpoint (a second load goes on where the first stopped). */
  readonly firstIndex?: number;
  /** Awaited before each write: a pace (e.g. BacklogGate.admit). */
  readonly pace?: () => Promise<void>;
  /** Called after each acknowledged write with how many were acknowledged so far. */
  readonly onAcknowledged?: (write: AcknowledgedWrite, acknowledged: number) => void;
};

/**
 * Sends `count` touchpoints as fast as `concurrency` allows: touchpoint i
 * for customer i mod customers, through API i mod clients, so both APIs
 * write to every customer. Refusals are collected, not thrown.
 */
export async function ingestTouchpoints(load: TouchpointLoad): Promise<LoadResult> {
  const acknowledged: AcknowledgedWrite[] = [];
  const refused: RefusedWrite[] = [];
  const first = load.firstIndex ?? 0;
  const started = performance.now();
  await inParallel(load.count, load.concurrency, async (offset) => {
    const index = first + offset;
    const api = index % load.clients.length;
    const customerIndex = index % load.customers.length;
    const client = load.clients[api];
    const customer = load.customers[customerIndex];
    if (client === undefined || customer === undefined) throw new Error('no client or customer');
    await load.pace?.();
    const ack = await client.record(customer, touchpointBody(index, customerIndex), (answer) =>
      refused.push({ index, api, answer }),
    );
    if (ack === null) return;
    const write = { index, customerId: customer, api, ...ack, acknowledgedAt: performance.now() };
    acknowledged.push(write);
    load.onAcknowledged?.(write, acknowledged.length);
  });
  return { acknowledged, refused, elapsedMs: performance.now() - started };
}
