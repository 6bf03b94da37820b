import { rebuildReadModels } from '@crm/analytics';
import { runningApiPid } from '@crm/platform';
import type { CliCommand } from '../cli-command';
import { parseCommandArgs, stringOption } from '../support/args';
import { formatRate, Progress } from '../support/progress';
import { configOf, openEventStore, openReadStore } from '../support/stores';

const USAGE = `usage: npm run crm -- rebuild [--batch-size N]

Clears the read models of DATA_DIR (journeys, idic, kpi_facts and
their checkpoints) and rebuilds them from the event log. Stop the API first:
while an API process holds DATA_DIR (its api.pid names a live process) the
command refuses.

  --batch-size N            events per read-store transaction (default 2000)
`;

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'reset the read models and rebuild them from the log (API stopped)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { 'batch-size': { type: 'string' } }, USAGE, io);
    if (parsed === null) return 2;
    const batchSize = Number(stringOption(parsed, 'batch-size') ?? 2000);
    if (
      parsed.positionals.length > 0 ||
      !Number.isInteger(batchSize) ||
      batchSize < 1 ||
      batchSize > 10_000
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
      });
      const seconds = progress.seconds();
      progress.finish([
        `rebuilt journeys, idic and kpi_facts from ${summary.events} events (log head ${summary.head}) in ${seconds.toFixed(1)} s, ${formatRate(summary.events, seconds)} events/s`,
      ]);
      return 0;
    } finally {
      await readStore.close();
      await events.close();
    }
  },
};
