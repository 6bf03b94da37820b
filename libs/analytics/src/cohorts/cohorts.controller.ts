import { Controller, Get, Inject, Query as QueryParam, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses, CLOCK, type Clock, RequireRoles } from '@crm/platform';
import { type CohortRow, PortfolioQueries } from '@crm/projections';
import { ProjectionRuntime } from '@crm/projections/runtime';
import { cohortCsv } from './cohorts.csv';
import { COHORT_FORMATS, DEFAULT_COHORT_MONTHS, MAX_COHORT_MONTHS, parseCohortQuery } from './cohorts.query';

class CohortRowResponse implements CohortRow {
  @ApiProperty({ example: '2025-01', description: 'UTC month of the first purchase' }) cohort!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) size!: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'number', minimum: 0, maximum: 1, nullable: true },
    description:
      'retention[k]: share of the cohort with a purchase in month cohort+k; null for a month not begun',
  })
  retention!: readonly (number | null)[];
}

export class CohortsResponse {
  @ApiProperty({ example: '2025-01' }) from!: string;
  @ApiProperty({ example: '2026-01' }) to!: string;
  @ApiProperty({ type: 'integer' }) months!: number;
  @ApiProperty({ type: [CohortRowResponse] }) cohorts!: CohortRowResponse[];
  @ApiProperty({ type: 'integer', description: 'Log position the counters reflect' }) position!: number;
}

/** Cohort retention (domain.md, "Portfolio analysis") from the customer-portfolio counters: one counter set per cohort. */
@ApiTags('analytics')
@ApiExtraModels(CohortsResponse)
@RequireRoles('analyst')
@Controller('analytics/cohorts')
export class CohortsController {
  constructor(
    private readonly portfolio: PortfolioQueries,
    private readonly runtime: ProjectionRuntime,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Cohort retention by month of first purchase, as JSON or CSV' })
  @ApiQuery({ name: 'from', required: false, description: 'First cohort month, YYYY-MM (inclusive)' })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'Last cohort month, YYYY-MM (exclusive); default next month',
  })
  @ApiQuery({
    name: 'months',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_COHORT_MONTHS, default: DEFAULT_COHORT_MONTHS },
  })
  @ApiQuery({ name: 'format', required: false, enum: COHORT_FORMATS, description: 'Default json' })
  @ApiErrorResponses(400)
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CohortsResponse) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async cohorts(
    @QueryParam() raw: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CohortsResponse | string> {
    const query = parseCohortQuery(raw, this.clock.now());
    const position = this.runtime.position();
    const cohorts = await this.portfolio.cohorts(query);
    if (query.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      return cohortCsv(cohorts, query.months);
    }
    return { from: query.from, to: query.to, months: query.months, cohorts, position };
  }
}
