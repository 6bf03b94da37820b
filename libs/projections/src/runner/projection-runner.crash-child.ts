/**
 * The victim of the runner crash test: projects the event log at argv[2]
 * into the read store at argv[3] with tiny batches, forever (following the
 * log live once caught up), until the parent kills it.
 */
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';
import { CUSTOMER_PROJECTIONS } from './customer-projections';
import { ProjectionRunner } from './projection-runner';

async function main(): Promise<void> {
  const [eventsFile, readFile] = process.argv.slice(2);
  if (!eventsFile || !readFile) throw new Error('usage: crash-child <events.sqlite> <read.sqlite>');
  const events = await SqliteEventStore.open({ file: eventsFile, pollIntervalMs: 20 });
  const store = await SqliteReadStore.open({ file: readFile });
  const runner = new ProjectionRunner(events, store, CUSTOMER_PROJECTIONS, {
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
