import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@crm/event-store';
import { applyPragmas, createSchema } from '../../libs/event-store/src/sqlite/sqlite-event-store.schema';
import { round, runConcurrently, summarise, type LatencySummary } from './stats';

export type DirectAppendResult = LatencySummary & {
  readonly appends: number;
  readonly concurrency: number;
  readonly eventsPerSecond: number;
  /** Appends per transaction achieved by group commit. */
  readonly appendsPerCommit: number;
  /** The same rows inserted straight with better-sqlite3, in transactions of appendsPerCommit rows. */
  readonly ceiling: RawInsertResult;
  /** eventsPerSecond / ceiling.eventsPerSecond. */
  readonly ratio: number;
};

export type RawInsertResult = {
  readonly rows: number;
  readonly rowsPerTransaction: number;
  readonly eventsPerSecond: number;
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
    const appendsPerCommit = round(appends / commits, 1);
    const eventsPerSecond = round((appends / elapsedMs) * 1000, 0);
    log(`direct: the ceiling, the same rows by raw inserts, ${Math.round(appendsPerCommit)} per transaction`);
    const ceiling = rawInserts(join(dataDir, 'direct-ceiling.sqlite'), appends, streams, appendsPerCommit);
    return {
      appends,
      concurrency,
      eventsPerSecond,
      ...summarise(latenciesMs),
      appendsPerCommit,
      ceiling,
      ratio: round(eventsPerSecond / Math.max(1, ceiling.eventsPerSecond)),
    };
  } finally {
    await store.close();
  }
}

/**
 * The direct append's ceiling: the rows the store writes (same schema, same
 * pragmas, synchronous=FULL, so one fsync per transaction), made and inserted
 * in a plain loop, `perTransaction` to a commit: no queue, no promises, no
 * revision or duplicate look-ups (revisions are counted in memory).
 */
function rawInserts(file: string, rows: number, streams: number, perTransaction: number): RawInsertResult {
  const db = new Database(file);
  try {
    applyPragmas(db, 5000);
    createSchema(db);
    const insert = db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, version, occurred_at, recorded_at, data, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const metadata = { correlationId: randomUUID(), causationId: null, actor: 'bench', source: 'bench' };
    const occurredAt = new Date().toISOString();
    const revisions = new Map<string, number>();
    const batch = db.transaction((from: number, to: number) => {
      const recordedAt = new Date().toISOString();
      for (let index = from; index < to; index++) {
        const streamId = `customer-direct-${index % streams}`;
        const revision = revisions.get(streamId) ?? 0;
        revisions.set(streamId, revision + 1);
        const data = { direction: 'inbound', durationSeconds: 60, outcome: 'connected' };
        insert.run(
          streamId,
          revision,
          randomUUID(),
          'CallLogged',
          1,
          occurredAt,
          recordedAt,
          JSON.stringify(data),
          JSON.stringify(metadata),
        );
      }
    });
    const size = Math.max(1, Math.round(perTransaction));
    const started = performance.now();
    for (let from = 0; from < rows; from += size) batch.immediate(from, Math.min(rows, from + size));
    const elapsedMs = performance.now() - started;
    return { rows, rowsPerTransaction: size, eventsPerSecond: round((rows / elapsedMs) * 1000, 0) };
  } finally {
    db.close();
  }
}
