/**
 * Child process for the SQLite crash test: appends tagged batches through the
 * real adapter as fast as it can until the parent SIGKILLs it. It reports
 * "ready" once open and "ack <batch>" for each acknowledged append, so the
 * parent can check that nothing acknowledged was lost.
 *
 * Usage: node sqlite-crash-writer.child.js <file> <run-id> <events-per-batch>
 */
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';

const CONCURRENT_APPENDS = 20;
const STREAMS = 8;

function batchOf(batch: string, size: number): EventToAppend[] {
  return Array.from({ length: size }, (_, index) => ({
    eventId: randomUUID(),
    type: 'CrashTestBatchWritten',
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { batch, index },
    metadata: {},
  }));
}

async function appendForever(file: string, run: string, size: number): Promise<never> {
  const store = await SqliteEventStore.open({ file });
  process.stdout.write('ready\n');
  for (let round = 0; ; round += 1) {
    await Promise.all(
      Array.from({ length: CONCURRENT_APPENDS }, async (_, slot) => {
        const batch = `${run}/${round}/${slot}`;
        await store.append(`crash-${(round + slot) % STREAMS}`, batchOf(batch, size));
        // Pipes are synchronous on Linux, so an ack written here reaches the parent even if we die next.
        process.stdout.write(`ack ${batch}\n`);
      }),
    );
  }
}

const [file, run, size] = process.argv.slice(2);
if (!file || !run || !size) throw new Error('usage: <file> <run-id> <events-per-batch>');
appendForever(file, run, Number(size)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
