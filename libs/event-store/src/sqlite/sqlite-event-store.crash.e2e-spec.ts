import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import ts from 'typescript';
import type { RecordedEvent } from '../event-store.port';
import { isStrictlyIncreasing, newEvent } from '../testing/contract/contract-fixtures';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Kills a writer process at random moments and checks what survives. The
 * writer runs the real adapter: ts-node is not installed, so the adapter is
 * transpiled to plain CommonJS for the child first.
 */
const EVENTS_PER_BATCH = 10;
const KILLS = 6;
const SRC = join(__dirname, '..');

type Writer = ChildProcessByStdio<null, Readable, Readable>;
type Run = { readonly acked: readonly string[] };

describe('SqliteEventStore under SIGKILL', () => {
  let workDir: string;
  let childScript: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'event-store-crash-'));
    childScript = transpileWriter(join(workDir, 'js'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('keeps every batch whole and every acknowledged batch, across repeated kills', async () => {
    const file = join(workDir, 'data', 'events.sqlite');
    const runs: Run[] = [];
    for (let kill = 0; kill < KILLS; kill += 1)
      runs.push(await runUntilKilled(childScript, file, `run${kill}`));
    runs.forEach((run) => expect(run.acked.length).toBeGreaterThan(0));

    expect(integrityOf(file)).toBe('ok');
    const store = await SqliteEventStore.open({ file });
    try {
      const events = await readEverything(store);
      expect(isStrictlyIncreasing(events.map((event) => event.position))).toBe(true);
      const batches = groupBy(events, (event) => String(event.data['batch']));
      for (const batch of batches.values()) expectWholeBatch(batch);
      for (const stream of groupBy(events, (event) => event.streamId).values()) expectContiguous(stream);
      const missing = runs.flatMap((run) => run.acked).filter((batch) => !batches.has(batch));
      expect(missing).toEqual([]);

      const current = await store.streamRevision('crash-0');
      await expect(
        store.append('crash-0', [newEvent()], { expectedRevision: current ?? 'no_stream' }),
      ).resolves.toMatchObject({ streamRevision: (current ?? -1) + 1 });
    } finally {
      await store.close();
    }
  }, 60_000);
});

function transpileWriter(outDir: string): string {
  const adapter = readdirSync(join(SRC, 'sqlite'))
    .filter((name) => name.endsWith('.ts') && !name.includes('spec'))
    .map((name) => join('sqlite', name));
  const sources = [
    'event-store.port.ts',
    'event-store.errors.ts',
    ...adapter,
    'testing/sqlite-crash-writer.child.ts',
  ];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(join(SRC, source), 'utf8'), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(outDir, source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return join(outDir, 'testing', 'sqlite-crash-writer.child.js');
}

async function runUntilKilled(script: string, file: string, run: string): Promise<Run> {
  // The transpiled files live outside the repo, so point module resolution at its node_modules.
  const nodeModules = dirname(dirname(require.resolve('better-sqlite3/package.json')));
  const child: Writer = spawn(process.execPath, [script, file, run, String(EVENTS_PER_BATCH)], {
    env: {
      ...process.env,
      NODE_PATH: nodeModules,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_, signal) => resolve(signal)),
  );

  await until(
    () => stdout.includes('ready\n'),
    closed,
    () => `writer ${run} died before it was ready: ${stderr}`,
  );
  // Kill only once something was acknowledged, so every run has acks to lose (and must not).
  await until(
    () => stdout.includes('ack '),
    closed,
    () => `writer ${run} died before its first ack: ${stderr}`,
  );
  await sleep(Math.random() * 500);
  child.kill('SIGKILL');
  const signal = await closed;
  if (signal !== 'SIGKILL') throw new Error(`writer ${run} ended by itself (${String(signal)}): ${stderr}`);
  return { acked: stdout.split('\n').flatMap((line) => (line.startsWith('ack ') ? [line.slice(4)] : [])) };
}

async function until(condition: () => boolean, died: Promise<unknown>, why: () => string): Promise<void> {
  let dead = false;
  void died.then(() => (dead = true));
  while (!condition()) {
    if (dead) throw new Error(why());
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readEverything(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: events.at(-1)?.position ?? 0, limit: 5000 });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function expectWholeBatch(batch: readonly RecordedEvent[]): void {
  const first = batch[0];
  expect(batch.map((event) => event.data['index'])).toEqual([...Array(EVENTS_PER_BATCH).keys()]);
  expect(batch.every((event) => event.streamId === first?.streamId)).toBe(true);
  expect(batch.map((event) => event.revision - (first?.revision ?? 0))).toEqual([
    ...Array(EVENTS_PER_BATCH).keys(),
  ]);
}

function expectContiguous(stream: readonly RecordedEvent[]): void {
  expect(stream.map((event) => event.revision)).toEqual([...Array(stream.length).keys()]);
}

function integrityOf(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}
