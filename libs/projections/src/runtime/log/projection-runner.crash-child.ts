/**
 * The victim of the runner crash test: projects the event log at argv[2]
 * into the read store at argv[3] with tiny batches, forever (following the
 * log live once caught up), until the parent kills it. argv[4] `log-order`
 * rebuilds in log order instead of customer by customer.
 */
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';
import { CUSTOMER_PROJECTIONS } from '../../runner/customer-projections';
import { ProjectionRunner } from './projection-runner';

async function main(): Promise<void> {
  const [eventsFile, readFile, order] = process.argv.slice(2);
  if (!eventsFile || !readFile)
    throw new Error('usage: crash-child <events.sqlite> <read.sqlite> [by-customer|log-order]');
  // log-order: the same projections, made to rebuild in log order rather than customer by customer.
  const projections =
    order === 'log-order'
      ? CUSTOMER_PROJECTIONS.map((p) => ({ ...p, perCustomer: false }))
      : CUSTOMER_PROJECTIONS;
  const events = await SqliteEventStore.open({ file: eventsFile, pollIntervalMs: 20 });
  const store = await SqliteReadStore.open({ file: readFile });
  const runner = new ProjectionRunner(events, store, projections, {
    batchSize: 5,
    onCommitted: ({ position }) => process.stdout.write(`committed ${position}\n`),
  });
  process.stdout.write('ready\n');
  await runner.run(new AbortController().signal);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
