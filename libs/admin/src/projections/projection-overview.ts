import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { APP_CONFIG, type AppConfig } from '@crm/platform';
import { DEAD_LETTER_COLLECTION } from '@crm/projections';
import {
  type PartitionLag,
  type ProjectionReport,
  ProjectionRuntime,
  READ_POSITIONS,
  type ReadPositions,
} from '@crm/projections/runtime';
import { READ_STORE, type ReadStore } from '@crm/read-store';

export type Lag = {
  /** Events in the log after the checkpoint (head − checkpoint: exact where positions have no gaps, as in the embedded store). */
  readonly events: number;
  /** recordedAt of the head event minus recordedAt of the last event applied (of the first event when none is). */
  readonly seconds: number;
};

export type ProjectionOverview = Omit<ProjectionReport, 'rebuild' | 'lastError' | 'deadLettered'> & {
  readonly headPosition: number;
  readonly lag: Lag;
  readonly errors: {
    readonly lastError: string | null;
    /** Events this process turned into dead letters since it started. */
    readonly deadLettered: number;
    /** Letters of this projection still open, whoever recorded them. */
    readonly deadLettersOpen: number;
  };
  readonly rebuild: (NonNullable<ProjectionReport['rebuild']> & { readonly lag: Lag }) | null;
};

/** How the events reach the projections, and with Kafka how far each partition is. */
export type TransportOverview = {
  readonly kind: 'direct' | 'kafka';
  /** Per partition (Kafka): the position up to which it is applied without gaps, and its lag. */
  readonly partitions: readonly PartitionLag[];
};

/** The admin view of every projection: the runtime's report plus the log head and the lag. */
@Injectable()
export class ProjectionOverviews {
  constructor(
    private readonly runtime: ProjectionRuntime,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  transport(): TransportOverview {
    return { kind: this.config.transport.kind, partitions: this.positions.partitions() };
  }

  async all(): Promise<ProjectionOverview[]> {
    const head = await this.events.headPosition();
    const reports = this.runtime.report();
    if (this.config.transport.kind === 'kafka') {
      // The consumers apply every projection run by run, partition by partition: the partitions say how far.
      const partitions = this.positions.partitions();
      const lag: Lag = {
        events: partitions.reduce((sum, p) => sum + p.events, 0),
        seconds: Math.max(0, ...partitions.map((p) => p.seconds)),
      };
      const checkpoint = this.positions.position('population');
      return Promise.all(
        reports.map(async (report) => ({ ...(await this.overview(report, head)), checkpoint, lag })),
      );
    }
    return Promise.all(reports.map((report) => this.overview(report, head)));
  }

  async one(name: string): Promise<ProjectionOverview | undefined> {
    return (await this.all()).find((overview) => overview.name === name);
  }

  private async overview(report: ProjectionReport, head: number): Promise<ProjectionOverview> {
    const { rebuild, lastError, deadLettered, ...rest } = report;
    const deadLettersOpen = await this.readStore.count(DEAD_LETTER_COLLECTION, {
      status: 'open',
      projection: report.name,
    });
    return {
      ...rest,
      headPosition: head,
      lag: await this.lag(report.checkpoint, head),
      errors: { lastError, deadLettered, deadLettersOpen },
      rebuild: rebuild && { ...rebuild, lag: await this.lag(rebuild.checkpoint, head) },
    };
  }

  private async lag(checkpoint: number, head: number): Promise<Lag> {
    if (checkpoint >= head) return { events: 0, seconds: 0 };
    const [applied, latest] = await Promise.all([
      this.recordedAtOrAfter(checkpoint),
      this.recordedAtOrAfter(head),
    ]);
    const seconds = applied && latest ? Math.max(0, (Date.parse(latest) - Date.parse(applied)) / 1000) : 0;
    return { events: head - checkpoint, seconds };
  }

  /** recordedAt of the first event at or after `position` (the first of the log for 0). */
  private async recordedAtOrAfter(position: number): Promise<string | undefined> {
    const [event] = await this.events.readAll({ after: Math.max(0, position - 1), limit: 1 });
    return event?.recordedAt;
  }
}
