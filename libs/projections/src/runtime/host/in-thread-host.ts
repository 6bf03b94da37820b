import type { EventStore } from '@crm/event-store';
import type { ReadStore } from '@crm/read-store';
import type { Projection } from '../../runner/projection';
import {
  type ActiveVersions,
  activateVersion,
  atVersion,
  collectionsAt,
  loadActiveVersions,
  logicalProjectionName,
} from '../../versioning';
import { ProjectionRunner, type RunnerOptions, type RunnerStatus } from '../log/projection-runner';
import { projectionNotFound, rebuildInProgress } from '../projection-runtime.errors';
import { RateMeter } from '../rate-meter';
import { sleepUntil } from '../sleep-until';
import type { HostLogger, ProjectionHost, ProjectionReport, ProjectionState } from './projection-host';

/** Pause before restarting a runner that failed, so a persistent fault does not spin. */
const RESTART_DELAY_MS = 1000;
/** How often a process without runners re-reads the checkpoints of the process that has them. */
const CHECKPOINT_POLL_MS = 100;
/** How long a replaced version is kept after the switch, for reads that started on it to finish. */
const RETIRE_AFTER_MS = 1000;

/**
 * What the host does once started: `run` the projections on the store's
 * log, `follow` the checkpoints another process commits (run mode `api`
 * with the direct transport), or nothing (`none`: Kafka feeds them, or
 * PROJECTIONS=off); either way the collections exist after `prepare`.
 */
export type InThreadMode = 'run' | 'follow' | 'none';

export type InThreadOptions = {
  readonly mode: InThreadMode;
  readonly batchSize?: number;
  readonly deadLetterAfter?: number;
  readonly now: () => Date;
  readonly logger: HostLogger;
  /** Pauses set from elsewhere (another thread) and seen by the runner at its next step. */
  readonly pauses?: RunnerOptions['pauses'];
  /** Called after each unit the live runner commits, and when a rebuild starts, takes over or fails. */
  readonly onChange?: () => void;
  /** The live runner's RunnerOptions.onVisible (rebuilds make nothing visible). */
  readonly onVisible?: RunnerOptions['onVisible'];
};

type RebuildJob = {
  readonly projection: Projection;
  readonly version: number;
  readonly runner: ProjectionRunner;
  readonly startedAt: string;
  state: 'rebuilding' | 'failed';
  error: string | null;
};

/**
 * The projections run in this thread: one runner feeds every live
 * projection from a single read of the log; blue-green rebuilds build the
 * next version of one projection beside it and take over between two of
 * its steps. Nest-free, so a worker thread runs the very same code.
 *
 * Blue-green rebuild: a second runner builds the next version of one
 * projection from the start of the log beside the live one; once it has
 * caught up with the head, between two steps of the live runner, the
 * registry switches to it in one commit and the live runner goes on with it.
 * The old version is cleared a moment later.
 */
export class InThreadHost implements ProjectionHost {
  private runner: ProjectionRunner;
  private readonly rebuilds = new Map<string, RebuildJob>();
  private readonly rates = new Map<string, RateMeter>();
  private readonly halt = new AbortController();
  private readonly background = new Set<Promise<void>>();
  private started = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly versions: ActiveVersions,
    private readonly options: InThreadOptions,
  ) {
    this.runner = this.liveRunner();
    for (const projection of projections)
      this.rates.set(projection.name, new RateMeter(() => options.now().getTime()));
  }

  /** Loads the active versions and creates the collections, so reads work before anything is applied. */
  async prepare(): Promise<void> {
    for (const [name, version] of await loadActiveVersions(this.readStore)) this.versions.set(name, version);
    this.runner = this.liveRunner();
    await this.runner.prepare();
  }

  start(): Promise<void> {
    if (this.options.mode === 'follow') this.inBackground(this.followCheckpoints());
    if (this.options.mode === 'run') {
      this.started = true;
      this.inBackground(this.keepRunning());
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.halt.abort();
    await Promise.all([...this.background]);
  }

  position(): number {
    return this.runner.position();
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  pausedBelow(position: number): string[] {
    return this.runner.pausedBelow(position).map(logicalProjectionName);
  }

  status(): RunnerStatus[] {
    return this.runner.status();
  }

  report(): ProjectionReport[] {
    const live = new Map(this.runner.status().map((s) => [logicalProjectionName(s.projection), s]));
    return this.projections.map((projection) => {
      const status = live.get(projection.name);
      const job = this.rebuilds.get(projection.name) ?? null;
      return {
        name: projection.name,
        version: this.versions.versionOf(projection.name),
        state: this.stateOf(status, job),
        checkpoint: status?.checkpoint ?? 0,
        eventsApplied: status?.eventsApplied ?? 0,
        eventsPerSecond: this.rates.get(projection.name)?.perSecond() ?? 0,
        deadLettered: (status?.deadLettered ?? 0) + (job?.runner.status()[0]?.deadLettered ?? 0),
        lastError: status?.lastError ?? null,
        rebuild: job && {
          version: job.version,
          state: job.state,
          checkpoint: job.runner.position(),
          eventsApplied: job.runner.status()[0]?.eventsApplied ?? 0,
          startedAt: job.startedAt,
          error: job.error,
        },
      };
    });
  }

  /** Stops applying events to a projection (kept in memory: a restart resumes it). */
  pause(name: string): void {
    this.runner.pause(this.liveName(name));
  }

  resume(name: string): void {
    this.runner.resume(this.liveName(name));
  }

  /**
   * Starts building the next version of a projection beside the live one;
   * returns that version. It takes over by itself once caught up.
   */
  async rebuild(name: string): Promise<number> {
    const projection = this.projectionNamed(name);
    const running = this.rebuilds.get(name);
    if (running?.state === 'rebuilding') throw rebuildInProgress(name, running.version);
    const version = this.versions.versionOf(name) + 1;
    const next = atVersion(projection, version);
    const job: RebuildJob = {
      projection: next,
      version,
      runner: new ProjectionRunner(this.events, this.readStore, next, this.runnerOptions()),
      startedAt: this.options.now().toISOString(),
      state: 'rebuilding',
      error: null,
    };
    this.rebuilds.set(name, job);
    try {
      // Whatever an earlier, interrupted rebuild left of this version goes first.
      await this.readStore.ensureCollections(next.collections);
      await this.readStore.resetProjection(next.name, collectionsAt(projection, version));
    } catch (error) {
      this.fail(job, error);
      throw error;
    }
    this.inBackground(this.build(name, job));
    this.options.onChange?.();
    return version;
  }

  /**
   * Recomputes one customer's documents of a projection from their stream,
   * in the live version and in a version being built (a retried dead
   * letter), leaving out the event ids in `leaveOut`. Throws what the
   * projection throws.
   */
  async recompute(name: string, customerId: string, leaveOut?: ReadonlySet<string>): Promise<void> {
    await this.runner.recomputeCustomer(this.liveName(name), customerId, leaveOut);
    const job = this.rebuilds.get(name);
    if (job?.state === 'rebuilding')
      await job.runner.recomputeCustomer(job.projection.name, customerId, leaveOut);
  }

  /** Polls the checkpoints another process commits, so reads with `minPosition` see its progress. */
  private async followCheckpoints(): Promise<void> {
    while (!this.halt.signal.aborted) {
      try {
        await this.runner.refreshCheckpoints();
      } catch (error) {
        this.options.logger.warn(`reading checkpoints failed: ${messageOf(error)}`);
      }
      await sleepUntil(CHECKPOINT_POLL_MS, this.halt.signal);
    }
  }

  private async build(name: string, job: RebuildJob): Promise<void> {
    try {
      await job.runner.prepare();
      let head = await this.events.headPosition();
      while (!this.halt.signal.aborted && job.runner.position() < head) {
        if ((await job.runner.step()) === 0) head = await this.events.headPosition();
        // The embedded stores answer without I/O: without a turn of the event loop between
        // steps, the rebuild would hold off everything else of this thread until it was done.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (this.halt.signal.aborted) return;
      const retired = await this.runner.exclusive(() => this.takeOver(name, job));
      this.rebuilds.delete(name);
      this.options.logger.log(`Projection ${name} now reads version ${job.version}`);
      this.options.onChange?.();
      await sleepUntil(RETIRE_AFTER_MS, this.halt.signal);
      await this.readStore.resetProjection(retired.name, retired.collections);
    } catch (error) {
      this.fail(job, error);
    }
  }

  /**
   * Runs between two live steps: the new version applies the last events
   * (ingest goes on meanwhile), then the registry switches in one commit and
   * the live runner carries on with it. Returns what to clear of the old one.
   */
  private async takeOver(name: string, job: RebuildJob): Promise<{ name: string; collections: string[] }> {
    while ((await job.runner.step()) > 0);
    const old = this.versions.versionOf(name);
    await activateVersion(this.readStore, name, job.version, this.options.now().toISOString());
    await this.runner.replace(this.liveName(name), job.projection);
    this.versions.set(name, job.version);
    const logical = this.projectionNamed(name);
    return { name: atVersion(logical, old).name, collections: collectionsAt(logical, old) };
  }

  private fail(job: RebuildJob, error: unknown): void {
    job.state = 'failed';
    job.error = messageOf(error);
    this.options.logger.error(`Rebuilding version ${job.version} failed: ${job.error}`);
    this.options.onChange?.();
  }

  private stateOf(status: RunnerStatus | undefined, job: RebuildJob | null): ProjectionState {
    if (!this.started || status?.state === 'stopped') return 'stopped';
    if (status?.state === 'failed') return 'failed';
    if (status?.paused) return 'paused';
    if (job?.state === 'rebuilding') return 'rebuilding';
    return 'running';
  }

  private liveRunner(): ProjectionRunner {
    const live = this.projections.map((p) => atVersion(p, this.versions.versionOf(p.name)));
    // Pauses set from elsewhere are the live projections': a version being built goes on.
    return new ProjectionRunner(this.events, this.readStore, live, {
      ...this.runnerOptions(),
      pauses: this.options.pauses,
      onVisible: this.options.onVisible,
    });
  }

  private runnerOptions(): RunnerOptions {
    return {
      batchSize: this.options.batchSize,
      deadLetterAfter: this.options.deadLetterAfter,
      now: this.options.now,
      onCommitted: ({ projection, events }) => {
        // Live units only: a rebuild's pace is its own progress, not the read models' throughput.
        if (this.runner.projections.some((p) => p.name === projection)) {
          this.rates.get(logicalProjectionName(projection))?.record(events);
          this.options.onChange?.();
        }
      },
    };
  }

  private projectionNamed(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw projectionNotFound(name);
    return projection;
  }

  private liveName(name: string): string {
    return atVersion(this.projectionNamed(name), this.versions.versionOf(name)).name;
  }

  private inBackground(task: Promise<void>): void {
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  private async keepRunning(): Promise<void> {
    while (!this.halt.signal.aborted) {
      try {
        await this.runner.run(this.halt.signal);
      } catch (error) {
        if (this.halt.signal.aborted) return;
        this.options.logger.error(
          `Projections failed; restarting in ${RESTART_DELAY_MS} ms: ${messageOf(error)}`,
        );
        this.options.onChange?.();
        await sleepUntil(RESTART_DELAY_MS, this.halt.signal);
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
