/** What a command may touch: its streams and environment, injected so tests can drive it. */
export type CliIo = {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal: draw a live progress bar; otherwise print progress lines. */
  readonly interactive: boolean;
};

/** One `crm <name> ...` command. */
export interface CliCommand {
  readonly name: string;
  /** Full usage text, printed by `crm help <name>` and on a usage error. */
  readonly usage: string;
  /** Resolves to the process exit code: 0 success, 1 failure, 2 usage error. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/**
 * A command as `crm --help` lists it. Its module (and the stores, drivers and
 * framework that module pulls in) is loaded only when the command runs or its
 * usage is asked for, so the list answers at once.
 */
export type CommandEntry = {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  load(): Promise<CliCommand>;
};
