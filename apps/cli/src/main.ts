import 'reflect-metadata';
import type { CliIo, CommandEntry } from './cli-command';
import { runCli } from './cli';

/** Every `crm <command>`, in the order `crm help` lists them; each module is loaded when it runs. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'export',
    summary: 'write the event log (filtered) as NDJSON to a file or stdout',
    load: async () => (await import('./commands/export.command')).exportCommand,
  },
  {
    name: 'import',
    summary: 'import historical events from NDJSON or CSV, all-or-nothing per customer',
    load: async () => (await import('./commands/import.command')).importCommand,
  },
  {
    name: 'rebuild',
    summary: 'reset the read models and rebuild them from the log (API stopped)',
    load: async () => (await import('./commands/rebuild.command')).rebuildCommand,
  },
  {
    name: 'keys',
    summary: 'create, list and revoke API keys; rotate the master key',
    load: async () => new (await import('./commands/keys.command')).KeysCommand(),
  },
];

/** Runs `crm` on this process's arguments and streams; `bin/crm.js` calls it. */
export async function main(): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: process.stderr.isTTY === true,
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io, COMMANDS);
  } catch (error: unknown) {
    process.stderr.write(`crm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
