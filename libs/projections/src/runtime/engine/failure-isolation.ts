import { ReadStoreUnavailableError, type Write } from '@crm/read-store';
import { PendingWrites } from './pending-writes';
import {
  type CustomerEvent,
  type DocumentReader,
  groupByCustomer,
  type Projection,
} from '../../runner/projection';

/** An event a projection could not apply, after every attempt. */
export type FailedEvent = {
  readonly event: CustomerEvent;
  readonly error: string;
  readonly attempts: number;
};

export type IsolatedOutcome = { readonly writes: Write[]; readonly failed: FailedEvent[] };

/**
 * Applies a batch whose `project` failed as a whole, so that one bad event
 * does not stop the others. Each customer's events are projected on their
 * own (a projection's documents belong to one customer each, so the writes
 * of different customers never meet); within a customer that still fails,
 * event by event in log order, each seeing the documents the earlier ones
 * produced. An event that fails `attempts` times is left out and reported:
 * the customer's later events are applied to the documents as they stood
 * without it. `betweenAttempts` waits between two tries of one event (a
 * backoff); whatever it throws (a stop) ends the isolation.
 */
export async function isolateFailures(
  projection: Projection,
  batch: readonly CustomerEvent[],
  reader: DocumentReader,
  attempts: number,
  betweenAttempts: (failures: number) => Promise<void> = () => Promise.resolve(),
): Promise<IsolatedOutcome> {
  const writes: Write[] = [];
  const failed: FailedEvent[] = [];
  for (const events of groupByCustomer(batch).values()) {
    const whole = await attempt(() => projection.project(events, reader), 1, betweenAttempts);
    if (whole.ok) {
      writes.push(...whole.writes);
      continue;
    }
    const pending = new PendingWrites(reader);
    for (const event of events) {
      const single = await attempt(() => projection.project([event], pending), attempts, betweenAttempts);
      if (single.ok) pending.add(single.writes);
      else failed.push({ event, error: single.error, attempts });
    }
    writes.push(...pending.writes());
  }
  return { writes, failed };
}

type Attempt = { ok: true; writes: Write[] } | { ok: false; error: string };

async function attempt(
  run: () => Promise<Write[]>,
  times: number,
  betweenAttempts: (failures: number) => Promise<void>,
): Promise<Attempt> {
  let error = 'no attempt made';
  for (let n = 0; n < times; n++) {
    if (n > 0) await betweenAttempts(n);
    try {
      return { ok: true, writes: await run() };
    } catch (caught) {
      // The store failing is not the event's fault: let the runner fail and retry the batch.
      if (caught instanceof ReadStoreUnavailableError) throw caught;
      error = caught instanceof Error ? caught.message : String(caught);
    }
  }
  return { ok: false, error };
}
