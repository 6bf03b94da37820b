import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchDirectAppend } from './direct-append.bench';
import { benchExport } from './export.bench';
import { benchFreshness } from './freshness.bench';
import { benchHttpIngestAgainstCeiling } from './http-ingest.bench';
import { benchPipeline, type PipelineSettings } from './pipeline.bench';
import { benchPortfolio } from './portfolio.bench';
import { benchReads, type ReadsSettings } from './reads.bench';
import { benchRebuild } from './rebuild.bench';
import { benchWebhooks } from './webhooks.bench';

/**
 * `npm run bench`: prints one JSON object on stdout; progress goes to stderr.
 * Settings by env: BENCH_EVENTS (default 100000), BENCH_CONCURRENCY (64),
 * BENCH_CUSTOMERS (1000), BENCH_REBUILD_EVENTS (1000000), BENCH_EXPORT_EVENTS (1000000),
 * BENCH_REBUILD_WORKERS (`crm rebuild --workers`; unset: the command's default),
 * BENCH_REBUILD_RUNS (3: rebuilds of each log, the median reported),
 * The http bench runs a bare Fastify route (its ceiling), the API on its default and with
 * PROJECTIONS=off; direct append is followed by raw better-sqlite3 inserts of the same rows; each
 * rebuild is set beside a plain read of the whole log: every result carries a `ratio` to its ceiling.
 * BENCH_ONLY (comma list of: http, direct, rebuild, rebuild-interleaved, freshness, export, webhooks,
 * reads, pipeline, portfolio; reads, pipeline and portfolio run only when named).
 * The portfolio bench: a predicted-value fit of BENCH_PORTFOLIO_CUSTOMERS (100000) simulated customers.
 * The webhooks bench: BENCH_WEBHOOK_EVENTS (20000) of BENCH_CUSTOMERS customers, drained to a local
 * receiver, beside the product's own sender posting as many bodies (its ceiling).
 * The reads bench: BENCH_READS_EVENTS (5000000), BENCH_READS_CUSTOMERS (100000),
 * BENCH_READS_CONCURRENCY (16), BENCH_READS_REQUESTS (1000 per read, at most), BENCH_READS_WARMUP
 * (200 untimed requests per read first, on other customers),
 * BENCH_READS_SECONDS (60: no request of a read starts after that), BENCH_READS_DIR
 * (a directory to keep the log and read models in and reuse; unset: a temporary one),
 * BENCH_READS_ONLY (comma list of read names, e.g. campaigns,campaignMonth: only those, no isolation figure).
 * The pipeline bench (api, relay and projector processes on Kafka) needs KAFKA_BROKERS, and
 * MONGODB_URL for its FerretDB half: BENCH_PIPELINE_EVENTS (20000), BENCH_PIPELINE_FERRETDB_EVENTS
 * (1000), BENCH_PIPELINE_CUSTOMERS (500), BENCH_PIPELINE_PARTITIONS (12), BENCH_PIPELINE_RATE (500
 * events/s offered in the freshness run), BENCH_PIPELINE_SECONDS (20; on FerretDB
 * BENCH_PIPELINE_FERRETDB_SECONDS, 5), BENCH_PIPELINE_PORT_BASE (unset: free ports),
 * BENCH_PIPELINE_CONSUMER_CONCURRENCY (KAFKA_CONSUMER_CONCURRENCY of the projectors; unset: its default).
 */
function setting(name: string, fallback: number): number {
  return optionalSetting(name) ?? fallback;
}

function optionalSetting(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function readsSettings(): ReadsSettings {
  return {
    events: setting('BENCH_READS_EVENTS', 5_000_000),
    customers: setting('BENCH_READS_CUSTOMERS', 100_000),
    concurrency: setting('BENCH_READS_CONCURRENCY', 16),
    requests: setting('BENCH_READS_REQUESTS', 1000),
    warmup: setting('BENCH_READS_WARMUP', 200),
    seconds: setting('BENCH_READS_SECONDS', 60),
    dir: process.env.BENCH_READS_DIR ? resolve(process.env.BENCH_READS_DIR) : undefined,
    ...(process.env.BENCH_READS_ONLY && {
      only: process.env.BENCH_READS_ONLY.split(',').map((name) => name.trim()),
    }),
  };
}

function pipelineSettings(concurrency: number): PipelineSettings {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  if (!kafkaBrokers) {
    throw new Error(
      'BENCH_ONLY=pipeline needs a Kafka broker: bash infra/kafka/start.sh, then KAFKA_BROKERS=127.0.0.1:19092 ' +
        '(and for FerretDB: bash infra/ferretdb/start.sh, then MONGODB_URL=mongodb://127.0.0.1:27018/)',
    );
  }
  return {
    kafkaBrokers,
    mongodbUrl: process.env.MONGODB_URL || null,
    events: setting('BENCH_PIPELINE_EVENTS', 20_000),
    ferretdbEvents: setting('BENCH_PIPELINE_FERRETDB_EVENTS', 1000),
    customers: setting('BENCH_PIPELINE_CUSTOMERS', 500),
    concurrency,
    partitions: setting('BENCH_PIPELINE_PARTITIONS', 12),
    rate: setting('BENCH_PIPELINE_RATE', 500),
    seconds: setting('BENCH_PIPELINE_SECONDS', 20),
    ferretdbSeconds: setting('BENCH_PIPELINE_FERRETDB_SECONDS', 5),
    sampleEvery: 5,
    visibleTimeoutMs: 120_000,
    portBase: optionalSetting('BENCH_PIPELINE_PORT_BASE'),
    consumerConcurrency: optionalSetting('BENCH_PIPELINE_CONSUMER_CONCURRENCY'),
  };
}

async function main(): Promise<void> {
  const events = setting('BENCH_EVENTS', 100_000);
  const concurrency = setting('BENCH_CONCURRENCY', 64);
  const customers = setting('BENCH_CUSTOMERS', 1000);
  const rebuildEvents = setting('BENCH_REBUILD_EVENTS', 1_000_000);
  const exportEvents = setting('BENCH_EXPORT_EVENTS', 1_000_000);
  const rebuildWorkers = optionalSetting('BENCH_REBUILD_WORKERS');
  const rebuildRuns = setting('BENCH_REBUILD_RUNS', 3);
  const only = (process.env.BENCH_ONLY ?? 'http,direct,rebuild,rebuild-interleaved,freshness,export,webhooks')
    .split(',')
    .map((part) => part.trim());
  const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-bench-'));
  const report: Record<string, unknown> = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    settings: { events, concurrency, customers, rebuildEvents, rebuildRuns, exportEvents },
  };
  try {
    if (only.includes('http')) {
      report.httpIngest = await benchHttpIngestAgainstCeiling(
        join(dataDir, 'http'),
        events,
        concurrency,
        customers,
        log,
      );
    }
    if (only.includes('direct')) {
      report.directAppend = await benchDirectAppend(dataDir, events, concurrency, customers, log);
    }
    if (only.includes('freshness')) {
      report.freshness = await benchFreshness(
        join(dataDir, 'freshness'),
        Math.min(events, 20_000),
        concurrency,
        customers,
        log,
      );
    }
    if (only.includes('rebuild')) {
      report.rebuild = await benchRebuild(
        dataDir,
        rebuildEvents,
        'by-customer',
        rebuildWorkers,
        rebuildRuns,
        log,
      );
    }
    if (only.includes('rebuild-interleaved')) {
      report.rebuildInterleaved = await benchRebuild(
        dataDir,
        rebuildEvents,
        'interleaved',
        rebuildWorkers,
        rebuildRuns,
        log,
      );
    }
    if (only.includes('export')) {
      report.export = await benchExport(dataDir, exportEvents, log);
    }
    if (only.includes('webhooks')) {
      report.webhooks = await benchWebhooks(
        join(dataDir, 'webhooks'),
        setting('BENCH_WEBHOOK_EVENTS', 20_000),
        customers,
        log,
      );
    }
    if (only.includes('pipeline')) {
      report.pipeline = await benchPipeline(join(dataDir, 'pipeline'), pipelineSettings(concurrency), log);
    }
    if (only.includes('portfolio')) {
      report.portfolio = await benchPortfolio(dataDir, setting('BENCH_PORTFOLIO_CUSTOMERS', 100_000), log);
    }
    if (only.includes('reads')) {
      report.reads = await benchReads(join(dataDir, 'reads'), readsSettings(), log);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
