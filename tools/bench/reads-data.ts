import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@crm/event-store';
import { readsHistories } from './reads-history';
import {
  codeFingerprint,
  type LogIdentity,
  MANIFEST_FILE,
  readManifest,
  type Reuse,
  reuseOf,
  writeManifest,
} from './reads-manifest';
import { flushToDisk, type RebuildRun, rebuildOnce, writeBenchLog } from './rebuild.bench';
import { round } from './stats';

/** A DATA_DIR holding the reads log and its read models, and how it came to be. */
export type ReadsData = {
  readonly dataDir: string;
  readonly reused: Reuse;
  /** Seconds the log took to write (when it was written, for a kept one). */
  readonly logWriteSeconds: number;
  /** The `crm rebuild` that built the read models (for kept ones, the one that did then). */
  readonly rebuild: RebuildRun;
  /** The log's last position before the bench appends anything. */
  readonly logHead: number;
};

/** Everything the bench and the API it starts write into a reads directory: cleared before a new log. */
const DATA_FILES = [
  'events.sqlite',
  'read-models.sqlite',
  'keys.sqlite',
  'api-keys.sqlite',
  'dev-api-key',
  'master-key.dev',
  'api.pid',
  MANIFEST_FILE,
];

/** The compiled tree this file runs from (dist/ in the product, the sources under jest). */
const ROOT = join(__dirname, '..', '..');

/**
 * The code the read models are written by: the projections (but for their
 * query services), the read store and the rebuild.
 */
function readModelCode(): string {
  return codeFingerprint(
    ROOT,
    [
      join(ROOT, 'libs', 'projections', 'src'),
      join(ROOT, 'libs', 'read-store', 'src'),
      join(ROOT, 'libs', 'analytics', 'src', 'rebuild'),
    ],
    ['queries', 'testing'],
  );
}

function generatorCode(): string {
  const generator = ['reads-history.js', 'reads-history.ts'].map((name) => join(__dirname, name));
  return codeFingerprint(
    ROOT,
    generator.filter((file) => existsSync(file)),
  );
}

/**
 * Makes `dir` hold a reads log of `events` events for `customers`
 * customers and its read models, built by the product's `crm rebuild`.
 * What a kept directory already holds for the same settings and code (its
 * manifest says) is used as it is.
 */
export async function prepareReadsData(
  dir: string,
  events: number,
  customers: number,
  log: (line: string) => void,
): Promise<ReadsData> {
  mkdirSync(dir, { recursive: true });
  const identity: LogIdentity = { events, customers, layout: 'by-customer', generator: generatorCode() };
  const code = readModelCode();
  const eventsFile = join(dir, 'events.sqlite');
  let manifest = readManifest(dir);
  let reused = existsSync(eventsFile) ? reuseOf(manifest, identity, code) : 'nothing';
  if (reused === 'log-and-read-models' && !existsSync(join(dir, 'read-models.sqlite'))) reused = 'log';
  if (reused === 'nothing' || manifest === null) {
    for (const file of DATA_FILES) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, file + suffix), { force: true });
    }
    log(`reads: writing a log of ${events} events for ${customers} customers into ${dir}`);
    const started = performance.now();
    const histories = readsHistories(events, customers);
    await writeBenchLog(eventsFile, events, 'by-customer', (line) => log(`reads: ${line}`), histories);
    flushToDisk(eventsFile);
    const writeSeconds = round((performance.now() - started) / 1000, 1);
    manifest = { log: { ...identity, writeSeconds }, readModels: null };
    writeManifest(dir, manifest);
  }
  let readModels = manifest.readModels;
  if (reused !== 'log-and-read-models' || readModels === null) {
    log(`reads: building the read models with crm rebuild`);
    const rebuild = await rebuildOnce(dir, undefined);
    log(
      `reads: rebuilt ${rebuild.events} events in ${rebuild.seconds} s (${rebuild.eventsPerSecond} events/s)`,
    );
    readModels = { code, rebuild };
    writeManifest(dir, { ...manifest, readModels });
  } else {
    log(`reads: using the log and read models kept in ${dir}`);
  }
  return {
    dataDir: dir,
    reused,
    logWriteSeconds: manifest.log.writeSeconds,
    rebuild: readModels.rebuild,
    logHead: await headOf(eventsFile),
  };
}

async function headOf(eventsFile: string): Promise<number> {
  const store = await SqliteEventStore.open({ file: eventsFile });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
