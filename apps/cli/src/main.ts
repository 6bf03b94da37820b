import 'reflect-metadata';
import type { CliCommand, CliIo } from './cli-command';
import { runCli } from './cli';
import { exportCommand } from './commands/export.command';
import { importCommand } from './commands/import.command';
import { KeysCommand } from './commands/keys.command';
import { rebuildCommand } from './commands/rebuild.command';

/** Every `npm run crm -- <command>`, in the order `crm help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  exportCommand,
  importCommand,
  rebuildCommand,
  new KeysCommand(),
];

async function main(): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: process.stderr.isTTY === true,
  };
  process.exitCode = await runCli(process.argv.slice(2), io, COMMANDS);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`crm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
