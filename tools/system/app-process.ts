import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The parts of the product a process of the built app runs (RUN_MODE). */
export type Role = 'api' | 'relay' | 'projector' | 'webhooks' | 'automations';

/** How one run of a process ended, and whether we ended it. */
export type ProcessExit = {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when we asked for it (stop, kill); an exit nobody asked for is a crash. */
  readonly requested: boolean;
};

/** The repository root: the nearest folder above this file that holds package.json (works from dist/ too). */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The entry point `npm run build` writes: what `npm start` and the README's production recipe run. */
export function builtMain(): string {
  return join(repoRoot(), 'dist', 'apps', 'api', 'src', 'main.js');
}

/**
 * One OS process of the built app (`node dist/apps/api/src/main.js`) in one
 * run mode, on a fixed port, its stdout and stderr appended to one log file
 * that outlives restarts (so a scan covers every run of it). It can be
 * stopped (SIGTERM), killed (SIGKILL) and started again on the same port.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<ProcessExit> | null = null;
  private requested = false;
  readonly exits: ProcessExit[] = [];

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly port: number,
    readonly logFile: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Spawns the process; `waitReady` tells when it serves. */
  start(): void {
    if (this.running) throw new Error(`${this.name} is running already`);
    const log = openSync(this.logFile, 'a');
    try {
      this.requested = false;
      const child = spawn(process.execPath, [builtMain()], {
        // Only what the cluster chose: nothing of the caller's engine settings leaks in.
        env: { ...this.env, RUN_MODE: this.role, PORT: String(this.port), HOST: '127.0.0.1' },
        stdio: ['ignore', log, log],
      });
      this.child = child;
      this.exited = once(child, 'exit').then(([code, signal]) => {
        const exit = {
          code: code as number | null,
          signal: signal as NodeJS.Signals | null,
          requested: this.requested,
        };
        this.exits.push(exit);
        return exit;
      });
    } finally {
      // The child holds its own descriptor.
      closeSync(log);
    }
  }

  /**
   * Resolves once `GET path` answers 200 (default /health/ready: the engines
   * answer and, for a projector, it has joined the consumer group); fails if
   * the process exits first or at the deadline.
   */
  async waitReady(timeoutMs: number, path = '/health/ready'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready (see ${this.logFile})`);
      try {
        const response = await fetch(this.url(path), { signal: AbortSignal.timeout(5000) });
        last = `${response.status} ${await response.text()}`;
        if (response.ok) return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(200);
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms: ${last}`);
  }

  /** SIGTERM, then SIGKILL if it has not ended after `graceMs`; resolves with how it ended. */
  async stop(graceMs = 15_000): Promise<ProcessExit | null> {
    if (!this.running || this.child === null || this.exited === null) return null;
    this.requested = true;
    this.child.kill('SIGTERM');
    const ended = await Promise.race([this.exited, sleep(graceMs).then(() => null)]);
    if (ended !== null) return ended;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
  async kill(): Promise<ProcessExit | null> {
    if (!this.running || this.child === null || this.exited === null) return null;
    this.requested = true;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** For an exit hook: SIGKILL now, without waiting. */
  killNow(): void {
    if (this.running) {
      this.requested = true;
      this.child?.kill('SIGKILL');
    }
  }
}
