import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ReactorRunner } from './reactor/reactor-runner';

/**
 * Runs every reactor in this process (RUN_MODE all or automations, unless
 * AUTOMATIONS=off), from boot to shutdown. A runner notes and retries its
 * own failures, so one only ends with the process. Run one such process per
 * deployment: two would both record (idempotently, so nothing twice, but
 * every trigger would be worked twice).
 */
@Injectable()
export class AutomationsSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Automations');
  private readonly stop = new AbortController();
  private running: Promise<void>[] = [];

  constructor(private readonly runners: readonly ReactorRunner[]) {}

  onApplicationBootstrap(): void {
    if (this.running.length > 0) return;
    this.running = this.runners.map((runner) =>
      runner
        .run(this.stop.signal)
        .catch((error: unknown) => this.logger.error(`automation ${runner.name} stopped: ${String(error)}`)),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.running);
  }

  /** The reactors running in this process. */
  names(): string[] {
    return this.runners.map((runner) => runner.name);
  }
}
