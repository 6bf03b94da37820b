import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@crm/domain';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiCursorQuery,
  ApiCustomerIdParam,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiLimitQuery,
  ApiMinPositionQuery,
  RequireRoles,
} from '@crm/platform';
import { JourneyQueries } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { parseAsOf, parseLimit, singleParam } from '../shared/query-params';
import { awaitPosition } from '../shared/read-consistency';
import { CustomerJourneyResponse } from './journey.response';

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
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiErrorResponses(400, 404, 409, 503)
  @ApiCustomerIdParam()
  @ApiInstantQuery('asOf', 'Instant for status (active/lapsed); default now')
  @ApiCursorQuery('timeline.nextCursor of the previous page')
  @ApiLimitQuery(MAX_TIMELINE_PAGE, 100, 'Timeline page size')
  @ApiMinPositionQuery()
  @ApiOkResponse({
    type: CustomerJourneyResponse,
    description: 'Stage, stage history, status at asOf, channel mix and a page of the timeline',
  })
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<CustomerJourneyResponse> {
    const at = parseAsOf(asOf, this.clock.now());
    const size = parseLimit(limit, 100, MAX_TIMELINE_PAGE);
    await awaitPosition(
      this.positions,
      { customerId },
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
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
