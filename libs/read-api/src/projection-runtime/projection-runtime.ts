import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig } from '@crm/platform';
import { CUSTOMER_PROJECTIONS, ProjectionRunner, type RunnerStatus } from '@crm/projections';
import { READ_STORE, type ReadStore } from '@crm/read-store';

/** Pause before restarting a runner that failed, so a persistent fault does not spin. */
const RESTART_DELAY_MS = 1000;

/**
 * The projection runners of this process (embedded mode): started after the
 * app boots, each following the log from its own checkpoint, stopped before
 * the stores close. Reads ask it which log position the read models reflect.
 */
@Injectable()
export class ProjectionRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[];
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.runners = CUSTOMER_PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner(events, readStore, projection, { batchSize: config.projections.batchSize }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // Collections exist before the first read, even if the runners are off or still catching up.
    for (const runner of this.runners) await runner.prepare();
    if (this.config.projections.mode === 'off') return;
    this.running = this.runners.map((runner) => this.keepRunning(runner));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.running);
  }

  /** The log position every read model has applied (the slowest runner's checkpoint). */
  position(): number {
    return Math.min(...this.runners.map((runner) => runner.status().checkpoint));
  }

  /** Resolves true once every read model reflects `position`, false after `timeoutMs`. */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const reached = await Promise.all(this.runners.map((runner) => runner.waitFor(position, timeoutMs)));
    return reached.every(Boolean);
  }

  status(): RunnerStatus[] {
    return this.runners.map((runner) => runner.status());
  }

  private async keepRunning(runner: ProjectionRunner): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        await runner.run(this.stop.signal);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.error(
          `${runner.projection.name} failed; restarting in ${RESTART_DELAY_MS} ms: ${error instanceof Error ? error.message : String(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      }
    }
  }
}
