import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CRM_EVENT_TYPES } from '@crm/domain';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiErrorResponses, CUSTOMER_ID_SCHEMA, POSITION_SCHEMA, RequireRoles } from '@crm/platform';
import { feedFrames } from './event-feed';
import { EVENT_STREAM, FEED_EVENT_SCHEMA, FeedHub, parseFeedFilter } from './feed-hub';

/** The filters the live feed takes; the others of GET /events bound a replay, which a feed is not. */
const FEED_FILTERS = ['types', 'customerId', 'afterPosition'];

/**
 * The log, live, as Server-Sent Events: every event after a position, then
 * each one as it is appended. A client that reconnects sends the last `id`
 * it saw as `Last-Event-ID` and resumes exactly after it.
 */
@ApiTags('analytics')
@Controller('events')
export class EventFeedController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly hub: FeedHub,
  ) {}

  @Get('stream')
  @RequireRoles('analyst')
  @ApiOperation({
    summary: 'The log, live, as Server-Sent Events',
    description:
      'Each event after afterPosition (or the Last-Event-ID header, which wins: a reconnecting client resumes ' +
      'after the last id it saw), then each one as it is appended. Frames: `id: <position>` and `data: <the ' +
      'GET /events line>`; a comment every FEED_HEARTBEAT_MS without an event; `event: end` with ' +
      '{reason, lastPosition} when we close the feed (reason `slow-consumer`: the client took nothing for ' +
      'FEED_STALL_MS; `shutdown`): reconnect with Last-Event-ID.',
  })
  @ApiErrorResponses(400)
  @ApiQuery({
    name: 'types',
    required: false,
    schema: { type: 'array', items: { type: 'string', enum: [...CRM_EVENT_TYPES] }, minItems: 1 },
    style: 'form',
    explode: false,
    description: `Comma list of: ${CRM_EVENT_TYPES.join(', ')}`,
  })
  @ApiQuery({
    name: 'customerId',
    required: false,
    schema: CUSTOMER_ID_SCHEMA,
    description: 'Only this customer’s stream',
  })
  @ApiQuery({
    name: 'afterPosition',
    required: false,
    schema: POSITION_SCHEMA,
    description: 'position > this',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last id received: resume after it' })
  @ApiOkResponse({
    description: 'An endless event stream',
    content: { [EVENT_STREAM]: { schema: FEED_EVENT_SCHEMA } },
  })
  stream(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    // Validated in full before the first byte: once streaming starts, the status is 200.
    const filter = parseFeedFilter(query, request.headers['last-event-id'], FEED_FILTERS);
    this.hub.serve(reply, filter, (signal, heartbeatMs) =>
      feedFrames(this.events, filter, heartbeatMs, signal),
    );
  }
}
