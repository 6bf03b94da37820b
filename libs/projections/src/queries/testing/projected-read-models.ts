import { customerStreamId, type CrmEvent } from '@crm/domain';
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';
import { CUSTOMER_PROJECTIONS } from '../../runner/customer-projections';
import { ProjectionRunner } from '../../runtime/log/projection-runner';

/** One event of the log, with the customer whose stream it belongs to. */
export type LoggedEvent = { readonly customerId: string; readonly event: CrmEvent };

/** Tags a factory's events with its customer, for building a log that interleaves customers. */
export function eventsOf(f: { readonly customerId: string }, ...events: CrmEvent[]): LoggedEvent[] {
  return events.map((event) => ({ customerId: f.customerId, event }));
}

export type ProjectedReadModels = {
  readonly events: SqliteEventStore;
  readonly store: SqliteReadStore;
  /** Appends more events in the order given and runs every projection to the head again. */
  append(log: readonly LoggedEvent[]): Promise<void>;
  close(): Promise<void>;
};

/**
 * In-memory event and read stores, the log appended in the order given (one
 * event per append, so positions follow it) and every customer projection run
 * to the head: the read models exactly as the app would serve them.
 */
export async function projectedReadModels(log: readonly LoggedEvent[]): Promise<ProjectedReadModels> {
  const events = await SqliteEventStore.open({ file: ':memory:' });
  const store = await SqliteReadStore.open({ file: ':memory:' });
  const append = async (more: readonly LoggedEvent[]): Promise<void> => {
    for (const { customerId, event } of more) await events.append(customerStreamId(customerId), [event]);
    await catchUpAll(events, store);
  };
  await append(log);
  return {
    events,
    store,
    append,
    close: async () => {
      await store.close();
      await events.close();
    },
  };
}

export async function catchUpAll(events: SqliteEventStore, store: SqliteReadStore): Promise<void> {
  for (const projection of CUSTOMER_PROJECTIONS)
    await new ProjectionRunner(events, store, projection).catchUp();
}
