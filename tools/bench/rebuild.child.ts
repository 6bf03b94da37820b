import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { rebuildCommand } from '../../apps/cli/src/commands/rebuild.command';

/**
 * Rebuilds every customer projection from an existing event log, in its own
 * process so its peak RSS is its own: runs `npx crm rebuild` itself
 * (the command, its store settings, the decrypting event store and its worker
 * threads) on a DATA_DIR holding the log as events.sqlite. Prints one JSON
 * line: { events, seconds, eventsPerSecond, peakRssMb, workers }; seconds
 * cover the whole command, opening the stores and clearing the read models
 * included.
 */
async function main(): Promise<void> {
  const [dataDir, workers] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: rebuild.child <DATA_DIR holding events.sqlite> [workers]');
  const stderr = new PassThrough();
  let output = '';
  stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const io = {
    stdout: process.stdout,
    stderr,
    stdin: process.stdin,
    env: { DATA_DIR: dataDir, MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}` },
    interactive: false,
  };
  const args = workers === undefined ? [] : ['--workers', workers];
  const started = performance.now();
  const code = await rebuildCommand.run(args, io);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`crm rebuild exited ${code}:\n${output}`);
  const summary = /from (\d+) events .* (\d+) threads?\n/.exec(output);
  if (!summary) throw new Error(`crm rebuild printed no summary:\n${output}`);
  const events = Number(summary[1]);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    `${JSON.stringify({ events, seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(events / seconds), peakRssMb, workers: Number(summary[2]) })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
