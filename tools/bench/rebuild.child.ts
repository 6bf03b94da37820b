import { SqliteEventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS, ProjectionRunner } from '@crm/projections';
import { SqliteReadStore } from '@crm/read-store';

/**
 * Rebuilds every customer projection from an existing event log into a fresh
 * read store, in its own process so its peak RSS is its own. Prints one JSON
 * line: { events, seconds, eventsPerSecond, peakRssMb }.
 */
async function main(): Promise<void> {
  const [eventsFile, readFile, batch] = process.argv.slice(2);
  if (!eventsFile || !readFile)
    throw new Error('usage: rebuild.child <events.sqlite> <read.sqlite> [batchSize]');
  const events = await SqliteEventStore.open({ file: eventsFile });
  const readStore = await SqliteReadStore.open({ file: readFile });
  const head = await events.headPosition();
  const started = performance.now();
  // One read of the log feeds all three projections, as in the running product.
  const batchSize = Number(batch ?? 2000);
  let folded = 0;
  const runner = new ProjectionRunner(events, readStore, CUSTOMER_PROJECTIONS, {
    batchSize,
    onCommitted: ({ projection, events: count }) => {
      if (projection !== CUSTOMER_PROJECTIONS[0]?.name) return;
      const before = folded;
      folded += count;
      if (Math.floor(before / 100_000) !== Math.floor(folded / 100_000))
        process.stderr.write(`[bench] rebuild: ${folded}/${head} events\n`);
    },
  });
  await runner.catchUp();
  const seconds = (performance.now() - started) / 1000;
  await Promise.all([events.close(), readStore.close()]);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // Every projection reads the whole log: the rate is log events per second of rebuilding all three.
  process.stdout.write(
    `${JSON.stringify({ events: head, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(head / seconds), peakRssMb })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
