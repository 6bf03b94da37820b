import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, runsDirectProjections } from '@crm/platform';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import type { Projection } from '../runner/projection';
import {
  ActiveVersions,
  activateVersion,
  atVersion,
  collectionsAt,
  loadActiveVersions,
  logicalProjectionName,
  resolvingReadStore,
} from '../versioning';
import { ProjectionRunner, type RunnerOptions, type RunnerStatus } from './log/projection-runner';
import { PROJECTIONS } from './projection-catalog.module';
import { projectionNotFound, rebuildInProgress, runnersOff } from './projection-runtime.errors';
import { RateMeter } from './rate-meter';
import type { PartitionLag, ReadPositions, ReadScope } from './read-positions';

/** Pause before restarting a runner that failed, so a persistent fault does not spin. */
const RESTART_DELAY_MS = 1000;
/** How often a process without runners re-reads the checkpoints of the process that has them. */
const CHECKPOINT_POLL_MS = 100;
/** How long a replaced version is kept after the switch, for reads that started on it to finish. */
const RETIRE_AFTER_MS = 1000;

export type ProjectionState = 'running' | 'paused' | 'rebuilding' | 'failed' | 'stopped';

export type RebuildProgress = {
  readonly version: number;
  readonly state: 'rebuilding' | 'failed';
  readonly checkpoint: number;
  readonly eventsApplied: number;
  readonly startedAt: string;
  readonly error: string | null;
};

/** What the runtime knows about one projection; the admin routes add the log head and lag. */
export type ProjectionReport = {
  readonly name: string;
  readonly version: number;
  readonly state: ProjectionState;
  readonly checkpoint: number;
  readonly eventsApplied: number;
  readonly eventsPerSecond: number;
  readonly deadLettered: number;
  readonly lastError: string | null;
  readonly rebuild: RebuildProgress | null;
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
 * The projection runners of this process (direct transport): started after
 * the app boots, following the log from their checkpoints, stopped before
 * the stores close; in a process that runs none (run mode `api`), it follows
 * the checkpoints the projecting process commits. As ReadPositions, it says
 * which log position the read models reflect (one for every read: the log is
 * applied in order). Reads go through `readModels`, which resolves each
 * collection to the active version of its projection.
 *
 * Blue-green rebuild: a second runner builds the next version of one
 * projection from the start of the log beside the live one; once it has
 * caught up with the head, between two steps of the live runner, the
 * registry switches to it in one commit and the live runner goes on with it.
 * The old version is cleared a moment later.
 */
@Injectable()
export class ProjectionRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, ReadPositions {
  private readonly logger = new Logger('Projections');
  private readonly versions: ActiveVersions;
  /** The read store as query services see it: active versions only. */
  readonly readModels: ReadStore;
  /** One runner feeds every live projection from a single read of the log. */
  private runner: ProjectionRunner;
  private readonly rebuilds = new Map<string, RebuildJob>();
  private readonly rates = new Map<string, RateMeter>();
  private readonly stop = new AbortController();
  private readonly background = new Set<Promise<void>>();
  private started = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
  ) {
    this.versions = new ActiveVersions(projections);
    this.readModels = resolvingReadStore(readStore, this.versions);
    this.runner = this.liveRunner();
    for (const projection of projections)
      this.rates.set(projection.name, new RateMeter(() => this.clock.now().getTime()));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const [name, version] of await loadActiveVersions(this.readStore)) this.versions.set(name, version);
    this.runner = this.liveRunner();
    // Collections exist before the first read, even if the runners are off or still catching up.
    await this.runner.prepare();
    if (!runsDirectProjections(this.config)) {
      // Projections run in another process (run mode `api`): follow their checkpoints.
      if (this.config.transport.kind === 'direct') this.inBackground(this.followCheckpoints());
      return;
    }
    this.started = true;
    this.inBackground(this.keepRunning());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all([...this.background]);
  }

  /** Polls the checkpoints another process commits, so reads with `minPosition` see its progress. */
  private async followCheckpoints(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        await this.runner.refreshCheckpoints();
      } catch (error) {
        this.logger.warn(
          `reading checkpoints failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_POLL_MS));
    }
  }

  /** The log position every read model has applied (the slowest projection's checkpoint), whatever the scope. */
  position(_scope: ReadScope = 'population'): number {
    return this.runner.position();
  }

  /** Resolves true once every read model reflects `position`, false after `timeoutMs`. */
  waitFor(position: number, _scope: ReadScope, timeoutMs: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  /** The log is applied in order, not by partitions. */
  partitions(): readonly PartitionLag[] {
    return [];
  }

  status(): RunnerStatus[] {
    return this.runner.status();
  }

  names(): string[] {
    return this.projections.map((projection) => projection.name);
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
    if (!this.started) throw runnersOff();
    const running = this.rebuilds.get(name);
    if (running?.state === 'rebuilding') throw rebuildInProgress(name, running.version);
    const version = this.versions.versionOf(name) + 1;
    const next = atVersion(projection, version);
    const job: RebuildJob = {
      projection: next,
      version,
      runner: new ProjectionRunner(this.events, this.readStore, next, this.runnerOptions()),
      startedAt: this.clock.now().toISOString(),
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
    return version;
  }

  /**
   * Recomputes one customer's documents of a projection from their stream,
   * in the live version and in a version being built (a retried dead
   * letter). Throws what the projection throws.
   */
  async recompute(name: string, customerId: string): Promise<void> {
    this.projectionNamed(name);
    await this.runner.recomputeCustomer(this.liveName(name), customerId);
    const job = this.rebuilds.get(name);
    if (job?.state === 'rebuilding') await job.runner.recomputeCustomer(job.projection.name, customerId);
  }

  private async build(name: string, job: RebuildJob): Promise<void> {
    try {
      await job.runner.prepare();
      let head = await this.events.headPosition();
      while (!this.stop.signal.aborted && job.runner.position() < head) {
        if ((await job.runner.step()) === 0) head = await this.events.headPosition();
        // The embedded stores answer without I/O: without a turn of the event loop between
        // steps, the rebuild would hold off requests (ingest included) until it was done.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (this.stop.signal.aborted) return;
      const retired = await this.runner.exclusive(() => this.takeOver(name, job));
      this.rebuilds.delete(name);
      this.logger.log(`Projection ${name} now reads version ${job.version}`);
      await this.sleep(RETIRE_AFTER_MS);
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
    await activateVersion(this.readStore, name, job.version, this.clock.now().toISOString());
    await this.runner.replace(this.liveName(name), job.projection);
    this.versions.set(name, job.version);
    const logical = this.projectionNamed(name);
    return { name: atVersion(logical, old).name, collections: collectionsAt(logical, old) };
  }

  private fail(job: RebuildJob, error: unknown): void {
    job.state = 'failed';
    job.error = error instanceof Error ? error.message : String(error);
    this.logger.error(`Rebuilding version ${job.version} failed: ${job.error}`);
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
    return new ProjectionRunner(this.events, this.readStore, live, this.runnerOptions());
  }

  private runnerOptions(): RunnerOptions {
    return {
      batchSize: this.config.projections.batchSize,
      deadLetterAfter: this.config.projections.deadLetterAfter,
      now: () => this.clock.now(),
      onCommitted: ({ projection, events }) => {
        // Live units only: a rebuild's pace is its own progress, not the read models' throughput.
        if (this.runner.projections.some((p) => p.name === projection))
          this.rates.get(logicalProjectionName(projection))?.record(events);
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stop.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  private async keepRunning(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        await this.runner.run(this.stop.signal);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.error(
          `Projections failed; restarting in ${RESTART_DELAY_MS} ms: ${error instanceof Error ? error.message : String(error)}`,
        );
        await this.sleep(RESTART_DELAY_MS);
      }
    }
  }
}
