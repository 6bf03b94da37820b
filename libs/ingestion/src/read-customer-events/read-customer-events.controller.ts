import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ApiCustomerIdParam,
  ApiErrorResponses,
  ApiLimitQuery,
  integerParam,
  integerSchema,
  RequireRoles,
} from '@crm/platform';
import { assertCustomerId } from '../shared/customer-id';
import { CustomerEventsResponse } from './customer-events.response';
import { ReadCustomerEventsQuery } from './read-customer-events.query';

const MAX_PAGE = 1000;

@ApiTags('ingestion')
@RequireRoles('read')
@Controller('customers/:customerId/events')
export class ReadCustomerEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiErrorResponses(400, 404)
  @ApiCustomerIdParam()
  @ApiQuery({
    name: 'fromRevision',
    required: false,
    schema: integerSchema(0, Number.MAX_SAFE_INTEGER, 0),
    description: 'First stream revision to return (default 0)',
  })
  @ApiLimitQuery(MAX_PAGE, MAX_PAGE)
  @ApiOkResponse({ type: CustomerEventsResponse })
  read(
    @Param('customerId') customerId: string,
    @QueryParam('fromRevision') fromRevision?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<CustomerEventsResponse> {
    assertCustomerId(customerId);
    const from = integerParam('fromRevision', fromRevision, 0, 0, Number.MAX_SAFE_INTEGER);
    const size = integerParam('limit', limit, MAX_PAGE, 1, MAX_PAGE);
    return this.queries.execute(new ReadCustomerEventsQuery(customerId, from, size));
  }
}
