import type { CliIo, CommandEntry } from './cli-command';

/** `crm <command> [args]`: dispatches to a command; usage errors exit 2. */
export async function runCli(
  args: readonly string[],
  io: CliIo,
  commands: readonly CommandEntry[],
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr.write(usage(commands));
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(usage(commands));
      return 0;
    }
    const command = commands.find((candidate) => candidate.name === topic);
    if (command === undefined) return unknown(topic, io, commands);
    io.stdout.write(`${(await command.load()).usage.trimEnd()}\n`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) return unknown(name, io, commands);
  return (await command.load()).run(rest, io);
}

function unknown(name: string, io: CliIo, commands: readonly CommandEntry[]): number {
  io.stderr.write(`crm: unknown command "${name}"\n\n${usage(commands)}`);
  return 2;
}

function usage(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((command) => command.name.length), 4);
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'usage: crm <command> [options]',
    '',
    'After one `npm run build`: npx crm <command>; `npm run crm -- <command>` builds first.',
    '',
    'commands:',
    ...lines,
    `  ${'help'.padEnd(width)}  help <command> prints a command's options`,
    '',
    'Every command reads DATA_DIR (and the other settings) like the API does.',
    '',
  ].join('\n');
}
