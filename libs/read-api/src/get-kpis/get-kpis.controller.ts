import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiMinPositionQuery,
  RequireRoles,
} from '@crm/platform';
import { KpiQueries, type KpiReport, type PayneFrowKpis } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { KPI_GRANULARITIES, parseKpiPeriod } from '../shared/query-params';
import { awaitPosition } from '../shared/read-consistency';
import { kpiReportError } from './kpi-report-errors';
import { KpisResponse } from './kpis.response';

export type ProjectionLag = { readonly events: number; readonly seconds: number | null };

/** Payne & Frow's five processes for [from, to), optionally split by day, ISO week or month. */
@ApiTags('read models')
@RequireRoles('read')
@Controller('kpis')
export class GetKpisController {
  constructor(
    private readonly kpis: KpiQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiErrorResponses(400, 409, 422, 503)
  @ApiInstantQuery('from', 'Inclusive ISO-8601 instant, at or before `to`', true)
  @ApiInstantQuery('to', 'Exclusive ISO-8601 instant', true)
  @ApiQuery({ name: 'granularity', required: false, enum: KPI_GRANULARITIES })
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: KpisResponse, description: '{ from, to, granularity, periods[], total, meta }' })
  async get(
    @QueryParam('from') rawFrom?: string,
    @QueryParam('to') rawTo?: string,
    @QueryParam('granularity') rawGranularity?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<KpisResponse> {
    const period = parseKpiPeriod({ from: rawFrom, to: rawTo, granularity: rawGranularity });
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    let report: KpiReport;
    try {
      report = await this.kpis.get(period);
    } catch (error) {
      throw kpiReportError(error);
    }
    const projectionLag = await this.lag(position);
    // projectionLag describes the system now, not a period: the same figure in every period and the total.
    const withLag = <K extends PayneFrowKpis>(kpis: K): K => ({
      ...kpis,
      informationManagement: { ...kpis.informationManagement, projectionLag },
    });
    return {
      ...report,
      periods: report.periods.map(withLag),
      total: withLag(report.total),
      meta: { position, projectionLag },
    };
  }

  /**
   * Events and seconds the read models are behind the log head
   * (informationManagement.projectionLag). Events are counted by position,
   * which is exact for the embedded store, whose positions have no gaps.
   */
  private async lag(position: number): Promise<ProjectionLag> {
    const head = await this.events.headPosition();
    if (head <= position) return { events: 0, seconds: 0 };
    const [oldestUnapplied] = await this.events.readAll({ after: position, limit: 1 });
    const seconds = oldestUnapplied
      ? (this.clock.now().getTime() - Date.parse(oldestUnapplied.recordedAt)) / 1000
      : null;
    return { events: head - position, seconds };
  }
}
