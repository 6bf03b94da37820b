import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig, runsDirectProjections } from '@crm/platform';
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
  /** One runner feeds every projection from a single read of the log. */
  private readonly runner: ProjectionRunner;
  private readonly stop = new AbortController();
  private running: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.runner = new ProjectionRunner(events, readStore, CUSTOMER_PROJECTIONS, {
      batchSize: config.projections.batchSize,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Collections exist before the first read, even if the runners are off or still catching up.
    await this.runner.prepare();
    if (!runsDirectProjections(this.config)) return;
    this.running = this.keepRunning();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  /** The log position every read model has applied (the slowest runner's checkpoint). */
  position(): number {
    return this.runner.position();
  }

  /** Resolves true once every read model reflects `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  status(): RunnerStatus[] {
    return this.runner.status();
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
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      }
    }
  }
}
