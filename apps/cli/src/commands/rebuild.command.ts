import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { rebuildReadModels } from '@crm/analytics';
import { runningApiPid } from '@crm/platform';
import { loadBlindIndexKey } from '@crm/privacy/encryption';
import type { CliCommand } from '../cli-command';
import { parseCommandArgs, stringOption } from '../support/args';
import { formatRate, Progress } from '../support/progress';
import { configOf, openEventStore, openReadStore } from '../support/stores';

const MAX_WORKERS = 16;
/** More threads than this gained nothing measurable: the commits take turns at one file. */
const DEFAULT_MAX_WORKERS = 4;

const USAGE = `usage: crm rebuild [--batch-size N] [--workers N]

Clears the read models of DATA_DIR (journeys, idic, kpi_facts and
their checkpoints) and rebuilds them from the event log. Stop the API first:
while an API process holds DATA_DIR (its api.pid names a live process) the
command refuses.

  --batch-size N            events per read-store transaction (default 2000)
  --workers N               threads building the customers side by side,
                            1 to ${MAX_WORKERS} (default: the CPUs, at most ${DEFAULT_MAX_WORKERS})
`;

function defaultWorkers(): number {
  return Math.min(availableParallelism(), DEFAULT_MAX_WORKERS);
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * The worker script beside this file: compiled JavaScript in the product.
 * Run from the TypeScript sources (the tests), a thread needs the same
 * TypeScript hook as the tests' child processes.
 */
function rebuildWorkerScript(): { script: string; execArgv: string[] } {
  const extension = extname(__filename);
  const script = join(__dirname, `rebuild.worker${extension}`);
  if (extension !== '.ts') return { script, execArgv: [] };
  return {
    script,
    execArgv: ['-r', join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js')],
  };
}

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      { 'batch-size': { type: 'string' }, workers: { type: 'string' } },
      USAGE,
      io,
    );
    if (parsed === null) return 2;
    const batchSize = Number(stringOption(parsed, 'batch-size') ?? 2000);
    const workers = Number(stringOption(parsed, 'workers') ?? defaultWorkers());
    if (
      parsed.positionals.length > 0 ||
      !isIntegerIn(batchSize, 1, 10_000) ||
      !isIntegerIn(workers, 1, MAX_WORKERS)
    ) {
      io.stderr.write(USAGE);
      return 2;
    }
    const config = configOf(io);
    if (config === null) return 1;
    const apiPid = runningApiPid(config.dataDir);
    if (apiPid !== null) {
      io.stderr.write(
        `The API (pid ${apiPid}) is running on ${config.dataDir}: stop it first, a rebuild under a live projection runner would race it.\n`,
      );
      return 1;
    }
    const opening = openReadStore(config, io);
    if (opening === null) return 1;
    const events = await openEventStore(config, io, true);
    if (events === null) return 1;
    const readStore = await opening;
    const progress = new Progress(io, 'rebuild');
    try {
      const summary = await rebuildReadModels(events, readStore, {
        batchSize,
        onProgress: ({ events, head }) => progress.update(events, head),
        workers: { count: workers, env: io.env, ...rebuildWorkerScript() },
        churnWindowDays: config.projections.churnWindowDays,
        attributionWindowDays: config.projections.attributionWindowDays,
        blindIndexKey: loadBlindIndexKey(config.privacy, (message) => io.stderr.write(`${message}\n`)),
      });
      const seconds = progress.seconds();
      const threads = summary.workers === 1 ? '1 thread' : `${summary.workers} threads`;
      progress.finish([
        `rebuilt journeys, idic, kpi_facts and identity_index from ${summary.events} events (log head ${summary.head}) in ${seconds.toFixed(1)} s, ${formatRate(summary.events, seconds)} events/s, ${threads}`,
      ]);
      return 0;
    } finally {
      await readStore.close();
      await events.close();
    }
  },
};
