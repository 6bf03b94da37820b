import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@crm/domain';
import {
  ApiCursorQuery,
  ApiCustomerIdParam,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiLimitQuery,
  RequireRoles,
} from '@crm/platform';
import {
  KPI_GRANULARITIES,
  kpiReportError,
  parseKpiPeriodAsOf,
  parseLimit,
  requiredInstant,
  singleParam,
} from '@crm/read-api';
import { TimeTravelQueries } from './time-travel.queries';
import {
  HistoricJourneyResponse,
  HistoricKpisResponse,
  HistoricScoresResponse,
} from './time-travel.response';

const MAX_TIMELINE_PAGE = 500;

/**
 * Time travel: the live read routes answer from today's read models; these
 * answer "what did it look like at asOf" by folding the event history.
 */
@ApiTags('analytics')
@Controller('analytics')
export class TimeTravelController {
  constructor(private readonly history: TimeTravelQueries) {}

  @Get('customers/:customerId/journey')
  @RequireRoles('analyst')
  @ApiErrorResponses(400, 404)
  @ApiCustomerIdParam()
  @ApiInstantQuery('asOf', 'Events with occurredAt < asOf count', true)
  @ApiCursorQuery('timeline.nextCursor of the previous page')
  @ApiLimitQuery(MAX_TIMELINE_PAGE, 100, 'Timeline page size')
  @ApiOkResponse({
    type: HistoricJourneyResponse,
    description: 'The journey as it stood at asOf (same shape as GET /customers/:id/journey)',
  })
  async journey(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') rawAsOf?: string,
    @QueryParam('cursor') rawCursor?: string,
    @QueryParam('limit') rawLimit?: string,
  ): Promise<HistoricJourneyResponse> {
    const asOf = requiredInstant('asOf', rawAsOf);
    const limit = parseLimit(rawLimit, 100, MAX_TIMELINE_PAGE);
    const cursor = singleParam('cursor', rawCursor);
    // A cursor no page handed out is an InvalidCursorError: 400 naming cursor, as on the live route.
    const view = await this.history.journey(customerId, { asOf, cursor, limit });
    if (view === null) throw notFoundAt(customerId, asOf);
    return { ...view, meta: { asOf, source: 'history' } };
  }

  @Get('customers/:customerId/scores')
  @RequireRoles('analyst')
  @ApiErrorResponses(400, 404, 422)
  @ApiCustomerIdParam()
  @ApiInstantQuery('asOf', 'Events with occurredAt < asOf count', true)
  @ApiOkResponse({
    type: HistoricScoresResponse,
    description: 'IDIC scores at asOf, ranked among the purchasers at asOf',
  })
  async scores(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') rawAsOf?: string,
  ): Promise<HistoricScoresResponse> {
    const asOf = requiredInstant('asOf', rawAsOf);
    const view = await this.history.scores(customerId, asOf);
    if (view === null) throw notFoundAt(customerId, asOf);
    return { ...view, meta: { asOf, source: 'history' } };
  }

  @Get('kpis')
  @RequireRoles('analyst')
  @ApiErrorResponses(400, 422)
  @ApiInstantQuery('asOf', 'Only facts with occurredAt < asOf; `to` ≤ asOf', true)
  @ApiInstantQuery('from', 'Inclusive ISO-8601 instant, at or before `to`', true)
  @ApiInstantQuery('to', 'Exclusive ISO-8601 instant, at or before asOf', true)
  @ApiQuery({ name: 'granularity', required: false, enum: KPI_GRANULARITIES })
  @ApiOkResponse({
    type: HistoricKpisResponse,
    description: '{ from, to, granularity, periods[], total, meta } as known at asOf',
  })
  async kpis(
    @QueryParam('asOf') rawAsOf?: string,
    @QueryParam('from') rawFrom?: string,
    @QueryParam('to') rawTo?: string,
    @QueryParam('granularity') rawGranularity?: string,
  ): Promise<HistoricKpisResponse> {
    const query = parseKpiPeriodAsOf({
      asOf: rawAsOf,
      from: rawFrom,
      to: rawTo,
      granularity: rawGranularity,
    });
    try {
      const report = await this.history.kpis(query);
      return { ...report, meta: { asOf: query.asOf, source: 'history' } };
    } catch (error) {
      throw kpiReportError(error);
    }
  }
}

function notFoundAt(customerId: string, asOf: string): DomainError {
  return new DomainError(
    'CUSTOMER.NOT_FOUND',
    'not_found',
    `No customer ${customerId} registered before ${asOf}`,
  );
}
