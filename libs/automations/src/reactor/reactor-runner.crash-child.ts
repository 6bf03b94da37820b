/**
 * The victim of the reactor crash test: runs both reactors on the stores
 * in the directory argv[2] with the system clock and tiny pages, printing
 * a line per trigger whose events it recorded, until the parent kills it.
 */
import { systemClock } from '@crm/platform';
import { ReactorHarness } from '../testing/reactor-harness';

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new Error('usage: crash-child <data dir>');
  const harness = await ReactorHarness.open(dir, systemClock);
  const runners = harness.runners({ pageSize: 2, deadlinesPerStep: 2, pollMs: 10 }, (observation) => {
    if (observation.kind === 'recorded') process.stdout.write(`recorded ${observation.count}\n`);
  });
  process.stdout.write('ready\n');
  const signal = new AbortController().signal;
  await Promise.all(runners.map((runner) => runner.run(signal)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
