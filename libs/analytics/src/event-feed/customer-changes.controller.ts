import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { RequireRoles } from '@crm/platform';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { ApiCustomerFilterQuery } from '../event-log/event-filter.openapi';
import { changeFrames, CUSTOMER_READ_MODELS } from './customer-changes';
import { FeedHub, parseFeedFilter } from './feed-hub';
import { ApiFeed } from './feed.openapi';

const CHANGE_FILTERS = ['customerId', 'afterPosition'];

/**
 * Which customers' read models changed, live: for a service that keeps a
 * copy of journeys or scores and refreshes it on a change instead of polling.
 */
@ApiTags('read models')
@Controller('customers/changes')
export class CustomerChangesController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    private readonly hub: FeedHub,
  ) {}

  @Get('stream')
  @RequireRoles('read')
  @ApiOperation({
    summary: "Customers' read model changes, live, as Server-Sent Events",
    description:
      'One frame per customer event after afterPosition (or Last-Event-ID, which wins), sent once the ' +
      `customer's read models (${CUSTOMER_READ_MODELS.join(', ')}) reflect it: a read of them then returns the new ` +
      'state. `id` is the position; `data` is {customerId, readModels, position, eventType}. Heartbeats, ' +
      '`event: end` and reconnection as for GET /events/stream.',
  })
  @ApiCustomerFilterQuery('Only this customer')
  @ApiFeed()
  stream(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const filter = parseFeedFilter(query, request.headers['last-event-id'], CHANGE_FILTERS);
    this.hub.serve(reply, filter, (signal, heartbeatMs) =>
      changeFrames(this.events, this.positions, filter, heartbeatMs, signal),
    );
  }
}
