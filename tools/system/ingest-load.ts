import type { Answer, CrmClient } from './crm-client';
import { customerId, registrationBody, visitBodies } from './touchpoint-mix';

/** One acknowledged touchpoint: whose, through which API, where it landed in the log. */
export type AcknowledgedWrite = {
  /** The visit it belongs to (a visit may send two touchpoints in one batch). */
  readonly index: number;
  readonly customerId: string;
  /** The touchpoint's event type. */
  readonly type: string;
  /** Index into the clients: which API took it. */
  readonly api: number;
  readonly eventId: string;
  readonly globalPosition: number;
  /** performance.now() when the answer arrived. */
  readonly acknowledgedAt: number;
};

export type RefusedWrite = { readonly index: number; readonly api: number; readonly answer: Answer };

export type LoadResult = {
  /** Touchpoints sent (a visit sends one or two). */
  readonly sent: number;
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
 * Sends `count` visits as fast as `concurrency` allows: visit i is the
 * (i div customers)-th of customer i mod customers (one touchpoint, or two
 * in one batch: touchpoint-mix.ts, visitBodies), and goes through the
 * APIs in turn per visit, so both APIs write to every customer. A
 * customer's visits are sent one after the other (the next waits for the
 * answer to the previous), as one client working through a customer's
 * history would. Refusals are collected, not thrown.
 */
export async function ingestTouchpoints(load: TouchpointLoad): Promise<LoadResult> {
  const acknowledged: AcknowledgedWrite[] = [];
  const refused: RefusedWrite[] = [];
  let sent = 0;
  const previous = new Map<number, Promise<void>>();
  const first = load.firstIndex ?? 0;
  const started = performance.now();
  const send = async (index: number): Promise<void> => {
    const customerIndex = index % load.customers.length;
    const visit = Math.floor(index / load.customers.length);
    const api = (customerIndex + visit) % load.clients.length;
    const client = load.clients[api];
    const customer = load.customers[customerIndex];
    if (client === undefined || customer === undefined) throw new Error('no client or customer');
    await load.pace?.();
    const bodies = visitBodies(index, customerIndex, visit);
    sent += bodies.length;
    const onRefused = (answer: Answer): void => void refused.push({ index, api, answer });
    const [only] = bodies;
    const acks =
      bodies.length === 1 && only !== undefined
        ? [await client.record(customer, only, onRefused)]
        : await client.recordBatch(customer, bodies, onRefused);
    if (acks === null) return;
    acks.forEach((ack, item) => {
      if (ack === null) return;
      const write = {
        index,
        customerId: customer,
        type: String(bodies[item]?.['type']),
        api,
        ...ack,
        acknowledgedAt: performance.now(),
      };
      acknowledged.push(write);
      load.onAcknowledged?.(write, acknowledged.length);
    });
  };
  await inParallel(load.count, load.concurrency, async (offset) => {
    const index = first + offset;
    const customerIndex = index % load.customers.length;
    const sending = (previous.get(customerIndex) ?? Promise.resolve()).then(() => send(index));
    previous.set(customerIndex, sending);
    await sending;
  });
  return { sent, acknowledged, refused, elapsedMs: performance.now() - started };
}
