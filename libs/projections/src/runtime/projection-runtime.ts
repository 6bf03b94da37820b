import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, Metrics, runsDirectProjections } from '@crm/platform';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { BLIND_INDEX_KEY } from '../identity-index/blind-index';
import type { Projection } from '../runner/projection';
import { ActiveVersions, resolvingReadStore } from '../versioning';
import { InThreadHost, type InThreadMode } from './host/in-thread-host';
import type { HostLogger, ProjectionHost, ProjectionReport } from './host/projection-host';
import type { ProjectionSource } from './host/worker/projection-worker.protocol';
import { WorkerThreadHost } from './host/worker/worker-thread-host';
import type { RunnerStatus } from './log/projection-runner';
import { PROJECTION_SOURCE, PROJECTIONS } from './projection-catalog.module';
import { projectionNotFound, runnersOff } from './projection-runtime.errors';
import type { PartitionLag, ReadPositions, ReadScope } from './read-positions';
import { visibilityObserver } from './visibility';

export type { ProjectionReport, ProjectionState, RebuildProgress } from './host/projection-host';

/**
 * The worker thread the live projections run in, when the app asks for one
 * (the embedded default, PROJECTIONS_THREAD=worker): its script, which
 * opens the stores from `data`, and the node flags it needs.
 */
export type ProjectionWorkerScript = {
  readonly script: string;
  readonly execArgv?: readonly string[];
  readonly data: unknown;
};

/** DI token: the ProjectionWorkerScript, or null to run the projections in the main thread. */
export const PROJECTION_WORKER = Symbol('PROJECTION_WORKER');

/**
 * The projections of this process, as the rest of the app sees them: the
 * admin routes (pause, resume, rebuild, recompute, report), health and
 * metrics, and, as ReadPositions, which log position the read models
 * reflect (one for every read: the log is applied in order). Reads go
 * through `readModels`, which resolves each collection to the active
 * version of its projection.
 *
 * Where they run is a ProjectionHost: a worker thread when PROJECTION_WORKER
 * names one (the embedded default, so the runner's CPU never delays a
 * request), else this thread; in a process that runs none (run mode `api`),
 * the host follows the checkpoints the projecting process commits.
 */
@Injectable()
export class ProjectionRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, ReadPositions {
  private readonly logger = new Logger('Projections');
  private readonly versions: ActiveVersions;
  /** The read store as query services see it: active versions only. */
  readonly readModels: ReadStore;
  private readonly local: InThreadHost;
  private host: ProjectionHost;
  /** Nest may call the hooks once per module that sees this provider: the first call does the work. */
  private booting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  /** Times each event from its commit to the log until reads here see it (crm_projection_visible_seconds). */
  private readonly onVisible: ((committedAtMs: readonly number[]) => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) clock: Clock,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
    @Optional() @Inject(PROJECTION_WORKER) private readonly worker: ProjectionWorkerScript | null = null,
    @Optional() @Inject(PROJECTION_SOURCE) private readonly source: ProjectionSource | null = null,
    @Optional() @Inject(BLIND_INDEX_KEY) private readonly blindIndexKey: Uint8Array | null = null,
    @Optional() @Inject(Metrics) metrics: Metrics | null = null,
  ) {
    this.onVisible = metrics === null ? undefined : visibilityObserver(metrics);
    this.versions = new ActiveVersions(projections);
    this.readModels = resolvingReadStore(readStore, this.versions);
    this.local = new InThreadHost(events, readStore, projections, this.versions, {
      mode: this.inThreadMode(),
      batchSize: config.projections.batchSize,
      deadLetterAfter: config.projections.deadLetterAfter,
      now: () => clock.now(),
      logger: this.hostLogger(),
      onVisible: this.onVisible,
    });
    this.host = this.local;
  }

  onApplicationBootstrap(): Promise<void> {
    this.booting ??= this.boot();
    return this.booting;
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping ??= (this.booting ?? Promise.resolve()).then(() => this.host.stop());
    return this.stopping;
  }

  private async boot(): Promise<void> {
    // Collections exist before the first read, even if the runners are off or still catching up.
    await this.local.prepare();
    if (this.worker !== null && runsDirectProjections(this.config)) {
      this.host = new WorkerThreadHost(
        this.names(),
        this.versions,
        {
          position: this.local.position(),
          status: this.local.status(),
          report: this.local.report(),
          versions: this.names().map((name) => [name, this.versions.versionOf(name)] as const),
        },
        {
          ...this.worker,
          source: this.source,
          batchSize: this.config.projections.batchSize,
          deadLetterAfter: this.config.projections.deadLetterAfter,
          churnWindowDays: this.config.projections.churnWindowDays,
          attributionWindowDays: this.config.projections.attributionWindowDays,
          blindIndexKey: this.blindIndexKey,
          logger: this.hostLogger(),
          onVisible: this.onVisible,
        },
      );
    }
    await this.host.start();
  }

  /** Where the live projections run: this thread or a worker thread. */
  thread(): 'main' | 'worker' {
    return this.host === this.local ? 'main' : 'worker';
  }

  /** The log position every read model has applied (the slowest projection's checkpoint), whatever the scope. */
  position(_scope: ReadScope = 'population'): number {
    return this.host.position();
  }

  /** Resolves true once every read model reflects `position`, false after `timeoutMs`. */
  waitFor(position: number, _scope: ReadScope, timeoutMs: number): Promise<boolean> {
    return this.host.waitFor(position, timeoutMs);
  }

  /** Every read model depends on every projection here (one runner, the slowest checkpoint). */
  pausedBelow(position: number, _scope: ReadScope): readonly string[] {
    return this.host.pausedBelow(position);
  }

  /** The log is applied in order, not by partitions. */
  partitions(): readonly PartitionLag[] {
    return [];
  }

  status(): RunnerStatus[] {
    return this.host.status();
  }

  names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  report(): ProjectionReport[] {
    return this.host.report();
  }

  /** Stops applying events to a projection (kept in memory: a restart resumes it). */
  pause(name: string): void {
    this.projectionNamed(name);
    this.host.pause(name);
  }

  resume(name: string): void {
    this.projectionNamed(name);
    this.host.resume(name);
  }

  /**
   * Starts building the next version of a projection beside the live one;
   * returns that version. It takes over by itself once caught up.
   */
  async rebuild(name: string): Promise<number> {
    this.projectionNamed(name);
    if (!runsDirectProjections(this.config)) throw runnersOff();
    return this.host.rebuild(name);
  }

  /**
   * Recomputes one customer's documents of a projection from their stream,
   * in the live version and in a version being built (a retried dead
   * letter), leaving out the event ids in `leaveOut`. Throws what the
   * projection throws.
   */
  async recompute(name: string, customerId: string, leaveOut?: ReadonlySet<string>): Promise<void> {
    this.projectionNamed(name);
    return this.host.recompute(name, customerId, leaveOut);
  }

  private inThreadMode(): InThreadMode {
    if (runsDirectProjections(this.config)) return 'run';
    // Projections run in another process (run mode `api`): follow their checkpoints.
    return this.config.transport.kind === 'direct' ? 'follow' : 'none';
  }

  private projectionNamed(name: string): Projection {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw projectionNotFound(name);
    return projection;
  }

  private hostLogger(): HostLogger {
    return {
      log: (message) => this.logger.log(message),
      warn: (message) => this.logger.warn(message),
      error: (message) => this.logger.error(message),
    };
  }
}
