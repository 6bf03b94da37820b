import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { CLOCK, type Clock, Metrics, NotReadyError, ReadinessChecks } from '@crm/platform';
import { READ_STORE, type ReadStore, UnknownCollectionError } from '@crm/read-store';
import { DEAD_LETTER_COLLECTION } from '../runner/dead-letter';
import { ProjectionRuntime } from './projection-runtime';
import { type PartitionLag, READ_POSITIONS, type ReadPositions } from './read-positions';

/**
 * What the projections tell operations: a readiness check (no runner failed)
 * and, computed at scrape time, lag per projection and, with a partitioned
 * transport (Kafka), per partition, and open dead letters.
 */
@Injectable()
export class ProjectionObservability implements OnModuleInit {
  constructor(
    private readonly runtime: ProjectionRuntime,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
  ) {}

  onModuleInit(): void {
    this.checks.register('projections', () => this.ready());
    this.metrics.sampledGauge(
      'crm_projection_lag_events',
      'Events in the log a projection has not applied yet',
      ['projection'],
      async () =>
        (await this.lag()).map(({ projection, events }) => ({ labels: { projection }, value: events })),
    );
    this.metrics.sampledGauge(
      'crm_projection_lag_seconds',
      'Age of the oldest event a projection has not applied yet (0 when caught up)',
      ['projection'],
      async () =>
        (await this.lag()).map(({ projection, seconds }) => ({ labels: { projection }, value: seconds })),
    );
    this.metrics.sampledGauge(
      'crm_projection_partition_lag_events',
      'Events of a partition (Kafka transport) in the log that some projection has not applied yet',
      ['partition'],
      () => Promise.resolve(this.partitionSamples((p) => p.events)),
    );
    this.metrics.sampledGauge(
      'crm_projection_partition_lag_seconds',
      'Age of the oldest event of a partition (Kafka transport) not applied yet (0 when caught up)',
      ['partition'],
      () => Promise.resolve(this.partitionSamples((p) => p.seconds)),
    );
    this.metrics.sampledGauge(
      'crm_dead_letters_open',
      'Events a projection could not apply and nobody has retried or skipped yet',
      [],
      async () => [{ value: await this.openDeadLetters() }],
    );
  }

  private ready(): Promise<Record<string, unknown>> {
    const status = this.runtime.status();
    const failed = status.filter((runner) => runner.state === 'failed');
    if (failed.length > 0) {
      return Promise.reject(
        new NotReadyError(`failed: ${failed.map((runner) => runner.projection).join(', ')}`),
      );
    }
    return Promise.resolve({
      position: this.runtime.position(),
      runners: Object.fromEntries(status.map((runner) => [runner.projection, runner.state])),
    });
  }

  private partitionSamples(
    value: (lag: PartitionLag) => number,
  ): { labels: { partition: string }; value: number }[] {
    return this.positions
      .partitions()
      .map((lag) => ({ labels: { partition: String(lag.partition) }, value: value(lag) }));
  }

  /**
   * Events are counted by position, exact for the embedded store whose
   * positions have no gaps (an upper bound where an engine leaves gaps).
   * With Kafka every projection is applied run by run in each partition:
   * its lag is the partitions' (their events added up, the oldest's age).
   */
  private async lag(): Promise<{ projection: string; events: number; seconds: number }[]> {
    const partitions = this.positions.partitions();
    if (partitions.length > 0) {
      const events = partitions.reduce((sum, p) => sum + p.events, 0);
      const seconds = Math.max(...partitions.map((p) => p.seconds));
      return this.runtime.names().map((projection) => ({ projection, events, seconds }));
    }
    const head = await this.events.headPosition();
    const now = this.clock.now().getTime();
    return Promise.all(
      this.runtime.status().map(async ({ projection, checkpoint }) => {
        if (checkpoint >= head) return { projection, events: 0, seconds: 0 };
        const [oldest] = await this.events.readAll({ after: checkpoint, limit: 1 });
        const seconds = oldest ? Math.max(0, (now - Date.parse(oldest.recordedAt)) / 1000) : 0;
        return { projection, events: head - checkpoint, seconds };
      }),
    );
  }

  private async openDeadLetters(): Promise<number> {
    try {
      return await this.readStore.count(DEAD_LETTER_COLLECTION, { status: 'open' });
    } catch (error) {
      // No projection has declared the collection yet: nothing has ever been dead-lettered.
      if (error instanceof UnknownCollectionError) return 0;
      throw error;
    }
  }
}
