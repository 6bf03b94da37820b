import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { customerStreamId } from '@crm/domain';
import { type EventToAppend, SqliteEventStore } from '@crm/event-store';
import { readCpuTimes, stealPercent } from './cpu-steal';
import { medianBy, round, runConcurrently } from './stats';

/**
 * How the customers' events sit in the log. `by-customer`: each customer's
 * history appended at once (an import). `interleaved`: appended in time
 * order across customers, as a live system writes them, so a batch of the
 * log touches a different customer at almost every event.
 */
export type LogLayout = 'by-customer' | 'interleaved';

/** One `crm rebuild` of the bench log, as rebuild.child prints it. */
export type RebuildRun = {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMb: number;
  /** Threads that built the customers (`--workers`). */
  readonly workers: number;
};

/**
 * One run as reported: its events/s and the percent of the machine's CPU
 * time the hypervisor gave to others meanwhile (null off Linux). On a shared
 * VM the same code swings by a third with it.
 */
export type RebuildRunReport = { readonly eventsPerSecond: number; readonly cpuStealPercent: number | null };

/**
 * The median run by events/s (the machine's speed drifts between runs),
 * the highest peak RSS of any run, and every run.
 */
export type RebuildResult = RebuildRun &
  RebuildRunReport & {
    readonly layout: LogLayout;
    readonly customers: number;
    readonly runs: readonly RebuildRunReport[];
    /** The ceiling: a plain read of the whole log (median of as many reads as rebuilds). */
    readonly logRead: LogReadResult;
    /** eventsPerSecond / logRead.eventsPerSecond. */
    readonly ratio: number;
  };

/** Every row of the log read in position order with better-sqlite3, its data and metadata parsed. */
export type LogReadResult = { readonly events: number; readonly eventsPerSecond: number };

const METADATA = { correlationId: 'bench', causationId: null, actor: 'bench', source: 'bench' };
const DAY = 86_400_000;

/** A customer's history: registration then a realistic mix of touchpoints, spread over two years. */
function historyOf(customer: number, length: number): EventToAppend[] {
  const start = Date.UTC(2024, 0, 1) + (customer % 365) * DAY;
  const at = (index: number): string => new Date(start + index * 0.7 * DAY).toISOString();
  const event = (index: number, type: string, data: Record<string, unknown>): EventToAppend => ({
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: at(index),
    data,
    metadata: METADATA,
  });
  const id = `bench-${customer}`;
  const events = [
    event(0, 'CustomerRegistered', {
      customerId: id,
      kind: customer % 5 === 0 ? 'company' : 'person',
      name: `Customer ${customer}`,
      email: `c${customer}@example.com`,
      segment: ['retail', 'smb', 'enterprise'][customer % 3],
    }),
  ];
  for (let index = 1; index < length; index++) {
    switch (index % 5) {
      case 0:
        events.push(
          event(index, 'PurchaseCompleted', {
            orderId: `o-${index}`,
            amount: 1000 + index,
            currency: 'EUR',
            channel: 'web',
            items: [{ sku: 's', category: `cat-${index % 4}`, quantity: 1, unitAmount: 1000 + index }],
          }),
        );
        break;
      case 1:
        events.push(
          event(index, 'CallLogged', { direction: 'inbound', durationSeconds: 60, outcome: 'connected' }),
        );
        break;
      case 2:
        events.push(event(index, 'SurveyAnswered', { surveyType: 'nps', score: index % 11 }));
        break;
      case 3:
        events.push(event(index, 'CampaignInteraction', { campaignId: 'c1', action: 'opened' }));
        break;
      default:
        events.push(event(index, 'MessageLogged', { channel: 'chat', direction: 'inbound' }));
    }
  }
  return events;
}

/**
 * Writes a log of `events` events (50 per customer) as the events.sqlite of
 * a DATA_DIR and times `crm rebuild` on it `runs` times, each from empty read
 * models: all three projections, with `workers` threads (the command's
 * default when undefined).
 */
export async function benchRebuild(
  dataDir: string,
  events: number,
  layout: LogLayout,
  workers: number | undefined,
  runs: number,
  log: (line: string) => void,
): Promise<RebuildResult> {
  const rebuildDir = join(dataDir, `rebuild-${layout}`);
  const eventsFile = join(rebuildDir, 'events.sqlite');
  const customers = await writeBenchLog(eventsFile, events, layout, (line) => log(`rebuild: ${line}`));
  // The writer's dirty pages on disk first: their write-back is not the rebuild's work.
  flushToDisk(eventsFile);
  const results: (RebuildRun & RebuildRunReport)[] = [];
  for (let run = 1; run <= runs; run++) {
    log(`rebuild: rebuilding the three projections (run ${run} of ${runs})`);
    // Each run from nothing: its own master key (random per run) and empty read models.
    for (const file of ['read-models.sqlite', 'keys.sqlite']) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(rebuildDir, file + suffix), { force: true });
    }
    const before = readCpuTimes();
    const result = await rebuildOnce(rebuildDir, workers);
    const cpuStealPercent = stealPercent(before, readCpuTimes());
    log(
      `rebuild: ${result.eventsPerSecond} events/s in ${result.seconds} s (CPU steal ${cpuStealPercent ?? '?'}%)`,
    );
    results.push({ ...result, cpuStealPercent });
  }
  const median = medianBy(results, (result) => result.eventsPerSecond);
  const reads = Array.from({ length: runs }, () => readWholeLog(eventsFile));
  const logRead = medianBy(reads, (read) => read.eventsPerSecond);
  log(`rebuild: the ceiling, a plain read of the log: ${logRead.eventsPerSecond} events/s`);
  return {
    layout,
    ...median,
    peakRssMb: Math.max(...results.map((result) => result.peakRssMb)),
    customers,
    runs: results.map(({ eventsPerSecond, cpuStealPercent }) => ({ eventsPerSecond, cpuStealPercent })),
    logRead,
    ratio: round(median.eventsPerSecond / Math.max(1, logRead.eventsPerSecond)),
  };
}

/** The rebuild's ceiling: the whole log read once, in order, with nothing done per event but parsing it. */
export function readWholeLog(eventsFile: string): LogReadResult {
  const db = new Database(eventsFile, { readonly: true });
  try {
    const rows = db
      .prepare<[], { data: string; metadata: string }>('SELECT * FROM events ORDER BY position')
      .iterate();
    const started = performance.now();
    let events = 0;
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      events++;
    }
    const elapsedMs = performance.now() - started;
    return { events, eventsPerSecond: round((events / elapsedMs) * 1000, 0) };
  } finally {
    db.close();
  }
}

/** Runs `crm rebuild` once on `rebuildDir` in a child process (rebuild.child) and returns its summary. */
export async function rebuildOnce(rebuildDir: string, workers: number | undefined): Promise<RebuildRun> {
  const args = [join(__dirname, 'rebuild.child.js'), rebuildDir];
  if (workers !== undefined) args.push(String(workers));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the rebuild process failed (exit ${String(code)})`);
  return JSON.parse(stdout.trim()) as RebuildRun;
}

export function flushToDisk(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * What a bench log is made of: its customers, how many events each has and
 * each one's history (registration first). The customer numbered n is
 * `bench-<n>`.
 */
export type BenchHistories = {
  readonly customers: number;
  readonly lengthOf: (customer: number) => number;
  readonly historyOf: (customer: number, length: number) => EventToAppend[];
};

/** The rebuild and export benches' log: 50 events per customer (the last one shorter), one simple mix. */
export function uniformHistories(events: number): BenchHistories {
  const perCustomer = 50;
  return {
    customers: Math.ceil(events / perCustomer),
    lengthOf: (customer) => Math.min(perCustomer, events - customer * perCustomer),
    historyOf,
  };
}

/**
 * Writes a realistic log of `events` events, by default 50 per customer;
 * returns the number of customers.
 */
export async function writeBenchLog(
  eventsFile: string,
  events: number,
  layout: LogLayout,
  log: (line: string) => void,
  histories: BenchHistories = uniformHistories(events),
): Promise<number> {
  const { customers, lengthOf, historyOf: historyOfCustomer } = histories;
  const store = await SqliteEventStore.open({ file: eventsFile });
  try {
    if (layout === 'by-customer') {
      await runConcurrently(
        customers,
        32,
        async (customer) => {
          const history = historyOfCustomer(customer, lengthOf(customer));
          await store.append(customerStreamId(`bench-${customer}`), history);
        },
        (done) => log(`wrote ${Math.min(events, Math.round((done / customers) * events))}/${events} events`),
      );
    } else {
      // Round by round: every customer's n-th event, then every customer's (n+1)-th.
      const streams = Array.from({ length: customers }, (_, customer) =>
        historyOfCustomer(customer, lengthOf(customer)),
      );
      const rounds = streams.reduce((longest, stream) => Math.max(longest, stream.length), 0);
      let written = 0;
      for (let round = 0; round < rounds; round++) {
        await runConcurrently(customers, 32, async (customer) => {
          const event = streams[customer]?.[round];
          if (event) await store.append(customerStreamId(`bench-${customer}`), [event]);
        });
        written += streams.filter((stream) => stream.length > round).length;
        log(`wrote ${written}/${events} events`);
      }
    }
  } finally {
    await store.close();
  }
  return customers;
}
