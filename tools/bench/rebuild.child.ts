import { rebuildReadModels } from '@crm/analytics';
import { SqliteEventStore } from '@crm/event-store';
import { SqliteReadStore } from '@crm/read-store';

/**
 * Rebuilds every customer projection from an existing event log into a fresh
 * read store, in its own process so its peak RSS is its own: what
 * `npm run crm -- rebuild` does (same function, same read-store settings as
 * the CLI and the API: synchronous NORMAL; the bench log is plaintext, so
 * the event store is opened without the decrypting layer). Prints one JSON
 * line: { events, seconds, eventsPerSecond, peakRssMb }.
 */
async function main(): Promise<void> {
  const [eventsFile, readFile, batch] = process.argv.slice(2);
  if (!eventsFile || !readFile)
    throw new Error('usage: rebuild.child <events.sqlite> <read.sqlite> [batchSize]');
  const events = await SqliteEventStore.open({ file: eventsFile });
  const readStore = await SqliteReadStore.open({ file: readFile, synchronous: 'normal' });
  const started = performance.now();
  let reported = 0;
  const { head } = await rebuildReadModels(events, readStore, {
    // The CLI's default batch size.
    batchSize: Number(batch ?? 2000),
    onProgress: ({ events: done, head: total }) => {
      if (done - reported < 100_000 && done < total) return;
      reported = done;
      process.stderr.write(`[bench] rebuild: ${done}/${total} events\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await Promise.all([events.close(), readStore.close()]);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // The rate: events of the log per second of building all three projections from them.
  process.stdout.write(
    `${JSON.stringify({ events: head, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(head / seconds), peakRssMb })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
