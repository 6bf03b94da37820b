import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { RequireRoles } from '@crm/platform';
import { ApiCustomerFilterQuery, ApiEventTypesQuery } from '../event-log/event-filter.openapi';
import { feedFrames } from './event-feed';
import { FeedHub, parseFeedFilter } from './feed-hub';
import { ApiFeed } from './feed.openapi';

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
  @ApiEventTypesQuery()
  @ApiCustomerFilterQuery()
  @ApiFeed()
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
