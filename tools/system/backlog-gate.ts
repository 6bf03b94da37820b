import { setTimeout as sleep } from 'node:timers/promises';
import type { AppProcess } from './app-process';
import type { PipelineProbe } from './pipeline-probe';

/**
 * Paces a load to what the pipeline keeps up with: `admit()` waits while
 * more than `maxBacklog` events are written but not yet in the read models
 * (not yet published by the relay, or published and not yet applied). So
 * a slow read store (FerretDB) never falls minutes behind, and a write is
 * visible within a bounded time, which read-your-writes reads rely on.
 * While the relay is down its last known checkpoint counts, so writes go on
 * until the backlog is full.
 */
export class BacklogGate {
  private backlog = 0;
  private relayCheckpoint = 0;
  private readonly stop = new AbortController();
  private readonly polling: Promise<void>;
  /** The largest backlog seen, for the report. */
  peak = 0;

  constructor(
    private readonly probe: PipelineProbe,
    private readonly api: () => AppProcess,
    private readonly relay: () => AppProcess,
    readonly maxBacklog: number,
  ) {
    this.polling = this.poll();
  }

  private async poll(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        const state = await this.probe.state(this.api(), this.relay());
        if (state.relayCheckpoint !== null) this.relayCheckpoint = state.relayCheckpoint;
        this.backlog = Math.max(0, state.head - this.relayCheckpoint) + (state.consumerLag ?? 0);
        this.peak = Math.max(this.peak, this.backlog);
      } catch {
        // a process restarting: keep the last figure
      }
      await sleep(500);
    }
  }

  /** The last figure: events written and not yet in the read models. */
  get current(): number {
    return this.backlog;
  }

  /** Resolves once the backlog is below the limit; fails after `timeoutMs` (the pipeline is stuck). */
  async admit(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.backlog >= this.maxBacklog) {
      if (Date.now() > deadline) {
        throw new Error(`the pipeline backlog stayed at ${this.backlog} events for ${timeoutMs} ms`);
      }
      await sleep(100);
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.polling;
  }
}
