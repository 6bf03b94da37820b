import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeBenchLog } from './rebuild.bench';

export type ExportResult = {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMb: number;
  readonly fileMb: number;
};

const SUMMARY = /exported (\d+) events .* in ([\d.]+) s, (\d+) events\/s, peak RSS (\d+) MB/;

/**
 * Writes a log of `events` events, then runs the built CLI (`crm export
 * --out FILE`) in a child process: its own summary line gives the rate and
 * the child's peak RSS, which stays flat however large the log (one page in
 * memory, backpressure to the file).
 */
export async function benchExport(
  dataDir: string,
  events: number,
  log: (line: string) => void,
): Promise<ExportResult> {
  const exportDir = join(dataDir, 'export');
  mkdirSync(exportDir, { recursive: true });
  await writeBenchLog(join(exportDir, 'events.sqlite'), events, 'by-customer', (line) =>
    log(`export: ${line}`),
  );
  log('export: log written; exporting through the CLI');
  const out = join(dataDir, 'export.ndjson');
  const cli = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');
  const child = spawn(process.execPath, [cli, 'export', '--out', out], {
    env: { ...process.env, DATA_DIR: exportDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const match = SUMMARY.exec(stderr);
  if (code !== 0 || match === null) throw new Error(`the export failed (exit ${String(code)}): ${stderr}`);
  return {
    events: Number(match[1]),
    seconds: Number(match[2]),
    eventsPerSecond: Number(match[3]),
    peakRssMb: Number(match[4]),
    fileMb: Math.round(statSync(out).size / 1024 / 1024),
  };
}
