import { Worker } from 'node:worker_threads';
import { ReadStoreUnavailableError } from '@crm/read-store';
import { type ActiveVersions, logicalProjectionName } from '../../../versioning';
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from '../../../campaigns/campaign-attribution';
import type { RunnerStatus } from '../../log/projection-runner';
import { sleepUntil } from '../../sleep-until';
import type { HostLogger, ProjectionHost, ProjectionReport } from '../projection-host';
import { PauseFlags } from './pause-flags';
import type {
  ProjectionSource,
  ProjectionWorkerCommand,
  ProjectionWorkerInput,
  ProjectionWorkerMessage,
  ProjectionWorkerState,
} from './projection-worker.protocol';
import { fromWire } from './wire-error';
import { PositionWaiters } from '../../log/position-waiters';

/** First pause before starting a crashed worker again; doubled on each crash in a row, up to the max. */
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that ran this long before it crashed starts the backoff over. */
const HEALTHY_AFTER_MS = 60_000;
/** How long a stopping worker gets to finish its unit and close its stores before it is terminated. */
const STOP_GRACE_MS = 5000;

export type WorkerThreadOptions = {
  /** A script that calls serveProjectionWorker (it opens the stores: a thread needs its own connections). */
  readonly script: string;
  readonly execArgv?: readonly string[];
  /** Handed to the script's opener as is (structured-cloned), e.g. where the stores are. */
  readonly data: unknown;
  readonly source: ProjectionSource | null;
  readonly batchSize: number;
  readonly deadLetterAfter: number;
  readonly churnWindowDays: number;
  /** CAMPAIGN_ATTRIBUTION_WINDOW_DAYS; default 7. */
  readonly attributionWindowDays?: number;
  /** BLIND_INDEX_KEY for the identity index; none without it. */
  readonly blindIndexKey?: Uint8Array | null;
  readonly logger: HostLogger;
  /** Given the commit times (epoch ms) of events this thread's reads can now see, as it learns of them. */
  readonly onVisible?: (committedAtMs: readonly number[]) => void;
};

type Pending = { readonly resolve: (value: number | null) => void; readonly reject: (error: Error) => void };

/**
 * The projections run in a worker thread; this thread keeps a mirror of
 * what the worker last reported. `position` moves only when the worker
 * says it committed, so reads with `minPosition` (and answers kept per
 * position) never run ahead of the read models. Pauses are flags in shared
 * memory, seen by the worker's next step; rebuilds and recomputes are
 * requests answered with the worker's result or its error, code and all.
 *
 * A worker that exits unexpectedly is logged, its projections report
 * `failed` (so readiness answers 503) and it is started again with a
 * growing pause; waiting reads keep waiting for it.
 */
export class WorkerThreadHost implements ProjectionHost {
  private readonly flags: PauseFlags;
  private readonly names: readonly string[];
  private worker: Worker | null = null;
  private failure: string | null = null;
  private readonly waiters = new PositionWaiters(() => this.position());
  private readonly requests = new Map<number, Pending>();
  private nextId = 1;
  private crashes = 0;
  private readyAt = 0;
  private readonly halt = new AbortController();
  private restarting: Promise<void> | null = null;

  constructor(
    names: readonly string[],
    private readonly versions: ActiveVersions,
    private state: ProjectionWorkerState,
    private readonly options: WorkerThreadOptions,
  ) {
    this.names = [...names];
    this.flags = new PauseFlags(this.names);
  }

  /** Starts the worker and waits until it has loaded its checkpoints (or failed to). */
  async start(): Promise<void> {
    await this.spawn();
  }

  async stop(): Promise<void> {
    this.halt.abort();
    await this.restarting;
    const worker = this.worker;
    if (worker === null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.post({ kind: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (!graceful) {
      this.options.logger.warn(`The projection worker did not stop within ${STOP_GRACE_MS} ms; terminated`);
      await worker.terminate();
    }
    this.failPending('The projections are stopping');
  }

  position(): number {
    return this.state.position;
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(position, timeoutMs);
  }

  pausedBelow(position: number): string[] {
    return this.state.status
      .filter((s) => s.checkpoint < position && this.flags.isPaused(logicalProjectionName(s.projection)))
      .map((s) => logicalProjectionName(s.projection));
  }

  /** As the worker last reported, with this thread's pauses (the worker sees them at its next step). */
  status(): RunnerStatus[] {
    return this.state.status.map((s) => ({
      ...s,
      paused: this.flags.isPaused(logicalProjectionName(s.projection)),
      ...(this.failure !== null && { state: 'failed' as const, lastError: this.failure }),
    }));
  }

  report(): ProjectionReport[] {
    return this.state.report.map((report) => {
      if (this.failure !== null) return { ...report, state: 'failed', lastError: this.failure };
      const paused = this.flags.isPaused(report.name);
      if (paused && (report.state === 'running' || report.state === 'rebuilding'))
        return { ...report, state: 'paused' };
      if (!paused && report.state === 'paused')
        return { ...report, state: report.rebuild?.state === 'rebuilding' ? 'rebuilding' : 'running' };
      return report;
    });
  }

  pause(name: string): void {
    this.flags.set(name, true);
  }

  resume(name: string): void {
    this.flags.set(name, false);
    // The flag alone would wait for the idle worker's next poll of the log.
    this.post({ kind: 'resume', name });
  }

  async rebuild(name: string): Promise<number> {
    const version = await this.request((id) => ({ kind: 'rebuild', id, name }));
    if (version === null) throw new Error('The projection worker answered a rebuild without a version');
    return version;
  }

  async recompute(name: string, customerId: string, leaveOut?: ReadonlySet<string>): Promise<void> {
    await this.request((id) => ({
      kind: 'recompute',
      id,
      name,
      customerId,
      leaveOut: leaveOut ? [...leaveOut] : null,
    }));
  }

  private request(command: (id: number) => ProjectionWorkerCommand): Promise<number | null> {
    if (this.worker === null || this.failure !== null)
      return Promise.reject(new ReadStoreUnavailableError('The projection worker is not running; retry'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      this.post(command(id));
    });
  }

  /** Resolves once the new worker is ready, or has exited before it was. */
  private spawn(): Promise<void> {
    const input: ProjectionWorkerInput = {
      batchSize: this.options.batchSize,
      deadLetterAfter: this.options.deadLetterAfter,
      churnWindowDays: this.options.churnWindowDays,
      attributionWindowDays: this.options.attributionWindowDays ?? DEFAULT_ATTRIBUTION_WINDOW_DAYS,
      blindIndexKey: this.options.blindIndexKey ?? null,
      source: this.options.source,
      names: this.names,
      pauses: this.flags.buffer,
      data: this.options.data,
    };
    const worker = new Worker(this.options.script, {
      workerData: input,
      execArgv: [...(this.options.execArgv ?? [])],
    });
    // A worker left behind (a process ending without shutdown hooks) never keeps the process alive.
    worker.unref();
    this.worker = worker;
    return new Promise((resolve) => {
      worker.on('message', (message: ProjectionWorkerMessage) => {
        this.receive(message);
        if (message.kind === 'ready') resolve();
      });
      // A thread's 'error' carries whatever it threw, not always an Error.
      worker.on('error', (error: unknown) =>
        this.options.logger.error(
          `The projection worker threw: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      worker.once('exit', (code) => {
        resolve();
        if (this.worker === worker) this.worker = null;
        if (!this.halt.signal.aborted) this.crashed(code);
      });
    });
  }

  private receive(message: ProjectionWorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        this.failure = null;
        this.readyAt = Date.now();
        return this.mirror(message.state);
      case 'state':
        return this.mirror(message.state);
      case 'reply':
        return this.settle(message.id, (pending) => pending.resolve(message.value));
      case 'refused':
        return this.settle(message.id, (pending) => pending.reject(fromWire(message.error)));
      case 'log':
        return this.options.logger[message.level](message.message);
      case 'stopped':
        return;
    }
  }

  private mirror(state: ProjectionWorkerState): void {
    for (const [name, version] of state.versions) this.versions.set(name, version);
    this.state = state;
    this.waiters.wake();
    if (state.visible !== undefined && state.visible.length > 0) this.options.onVisible?.(state.visible);
  }

  private settle(id: number, settle: (pending: Pending) => void): void {
    const pending = this.requests.get(id);
    if (!pending) return;
    this.requests.delete(id);
    settle(pending);
  }

  private crashed(code: number): void {
    if (this.readyAt > 0 && Date.now() - this.readyAt >= HEALTHY_AFTER_MS) this.crashes = 0;
    this.readyAt = 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** this.crashes);
    this.crashes += 1;
    this.failure = `The projection worker stopped (exit code ${code})`;
    this.options.logger.error(`${this.failure}; restarting it in ${delay} ms`);
    this.failPending(this.failure);
    this.restarting = sleepUntil(delay, this.halt.signal).then(async () => {
      this.restarting = null;
      if (!this.halt.signal.aborted) await this.spawn();
    });
  }

  private failPending(reason: string): void {
    for (const pending of this.requests.values())
      pending.reject(new ReadStoreUnavailableError(`${reason}; retry`));
    this.requests.clear();
  }

  private post(command: ProjectionWorkerCommand): void {
    this.worker?.postMessage(command);
  }
}
