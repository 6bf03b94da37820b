import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@crm/domain';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiErrorResponses,
  RequireRoles,
} from '@crm/platform';
import { JourneyQueries } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition, parseAsOf, parseLimit, type ReadMeta, singleParam } from '../shared/read-consistency';

const MAX_TIMELINE_PAGE = 500;

@ApiTags('read models')
@RequireRoles('read')
@Controller('customers/:customerId/journey')
export class GetCustomerJourneyController {
  constructor(
    private readonly journeys: JourneyQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiErrorResponses(400, 404, 503)
  @ApiQuery({ name: 'asOf', required: false, description: 'Instant for status (active/lapsed); default now' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous timeline page' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `Timeline page size, 1-${MAX_TIMELINE_PAGE} (default 100)`,
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until the read models reflect this log position',
  })
  @ApiOkResponse({
    description: 'Stage, stage history, status at asOf, channel mix and a page of the timeline',
  })
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<{ meta: ReadMeta } & Record<string, unknown>> {
    const at = parseAsOf(asOf, this.clock.now());
    const size = parseLimit(limit, 100, MAX_TIMELINE_PAGE);
    await awaitPosition(this.positions, { customerId }, minPosition, this.config.projections.readWaitMs);
    const position = this.positions.position({ customerId });
    const journey = await this.journeys.get(customerId, {
      asOf: at,
      cursor: singleParam('cursor', cursor),
      limit: size,
    });
    if (!journey) throw new DomainError('CUSTOMER.NOT_FOUND', 'not_found', `No customer ${customerId}`);
    return { ...journey, meta: { position, asOf: at } };
  }
}
