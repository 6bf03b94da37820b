import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, startApi } from '../support/built-api';

/**
 * Ready means /health/ready answering. On a big kept log the API opens its
 * stores and its projections catch up with what an earlier run appended.
 */
const READY_TIMEOUT_MS = 300_000;
/** A graceful stop waits for the request in hand, which may be a long read; then it is killed. */
const STOP_TIMEOUT_MS = 15_000;

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function launch(dataDir: string, port: number): Promise<ChildProcess> {
  return startApi(dataDir, port, {}, { readyPath: '/health/ready', timeoutMs: READY_TIMEOUT_MS });
}

/**
 * The built API as a child process on one loopback port for the whole
 * bench. A read that brings it down (out of memory, say) is reported, and
 * the API started again for the next one.
 */
export class ApiUnderTest {
  private constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private child: ChildProcess,
    private readonly log: (line: string) => void,
  ) {}

  static async start(dataDir: string, log: (line: string) => void): Promise<ApiUnderTest> {
    const port = await freePort();
    return new ApiUnderTest(dataDir, port, await launch(dataDir, port), log);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Null while the API runs; else how it ended, after starting it again. */
  async restartIfExited(): Promise<string | null> {
    if (isRunning(this.child)) return null;
    const how = `exit code ${String(this.child.exitCode)}, signal ${String(this.child.signalCode)}`;
    this.log(`reads: the API had ended (${how}); starting it again`);
    this.child = await launch(this.dataDir, this.port);
    return how;
  }

  async stop(): Promise<void> {
    if (!isRunning(this.child)) return;
    const child = this.child;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(kill);
    }
  }
}
