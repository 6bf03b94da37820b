import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import { round, runConcurrently, summarise, type LatencySummary } from './stats';

export type DirectAppendResult = LatencySummary & {
  readonly appends: number;
  readonly concurrency: number;
  readonly eventsPerSecond: number;
  /** Appends per transaction achieved by group commit. */
  readonly appendsPerCommit: number;
};

/** Appends single events straight through the store port (no HTTP, no decider). */
export async function benchDirectAppend(
  dataDir: string,
  appends: number,
  concurrency: number,
  streams: number,
  log: (line: string) => void,
): Promise<DirectAppendResult> {
  const store = await SqliteEventStore.open({ file: join(dataDir, 'direct.sqlite') });
  try {
    const metadata = { correlationId: randomUUID(), causationId: null, actor: 'bench', source: 'bench' };
    const occurredAt = new Date().toISOString();
    const before = store.stats();
    const { latenciesMs, elapsedMs } = await runConcurrently(
      appends,
      concurrency,
      async (index) => {
        await store.append(`customer-direct-${index % streams}`, [
          {
            eventId: randomUUID(),
            type: 'CallLogged',
            version: 1,
            occurredAt,
            data: { direction: 'inbound', durationSeconds: 60, outcome: 'connected' },
            metadata,
          },
        ]);
      },
      (done) => log(`direct: ${done}/${appends}`),
    );
    const after = store.stats();
    const commits = Math.max(1, after.flushes - before.flushes);
    return {
      appends,
      concurrency,
      eventsPerSecond: round((appends / elapsedMs) * 1000, 0),
      ...summarise(latenciesMs),
      appendsPerCommit: round(appends / commits, 1),
    };
  } finally {
    await store.close();
  }
}
