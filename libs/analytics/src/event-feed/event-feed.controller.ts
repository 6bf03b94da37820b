import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Inject,
  Logger,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CRM_EVENT_TYPES, type ErrorDetail } from '@crm/domain';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiErrorResponses,
  CUSTOMER_ID_SCHEMA,
  POSITION_SCHEMA,
  RequestValidationError,
  RequireRoles,
} from '@crm/platform';
import { parseEventFilter } from '../event-log/event-filter';
import { type FeedEnd, type FeedFilter, feedFrames, pumpFeed } from './event-feed';

export const EVENT_STREAM = 'text/event-stream';

/** The filters a live feed takes; the others of GET /events bound a replay, which a feed is not. */
const FEED_FILTERS = ['types', 'customerId', 'afterPosition'];
const POSITION = /^\d{1,15}$/;

/**
 * The log, live, as Server-Sent Events: every event after a position, then
 * each one as it is appended. A client that reconnects sends the last `id`
 * it saw as `Last-Event-ID` and resumes exactly after it.
 */
@ApiTags('analytics')
@Controller('events')
export class EventFeedController implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventFeed');
  private readonly open = new Set<AbortController>();
  private shuttingDown = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    content: { [EVENT_STREAM]: { schema: { type: 'string' } } },
  })
  stream(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    // Validated in full before the first byte: once streaming starts, the status is 200.
    const filter = parseFeed(query, request.headers['last-event-id']);
    const abort = new AbortController();
    this.open.add(abort);
    reply.hijack();
    // Headers our hooks set (correlation id, …) go out with the stream's own.
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) headers[name] = value;
    reply.raw.writeHead(200, {
      ...headers,
      'content-type': `${EVENT_STREAM}; charset=utf-8`,
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    reply.raw.once('close', () => abort.abort());
    const { heartbeatMs, stallMs } = this.config.analytics.feed;
    const ending = (): FeedEnd | undefined => (this.shuttingDown ? 'shutdown' : undefined);
    pumpFeed(
      feedFrames(this.events, filter, heartbeatMs, abort.signal),
      reply.raw,
      filter,
      { heartbeatMs, stallMs },
      ending,
    )
      .then((result) => {
        if (result.end === 'slow-consumer') {
          this.logger.warn(
            `a feed was cut after ${stallMs} ms without a write taken, at position ${result.lastPosition}`,
          );
        }
      })
      .catch((error: unknown) => {
        this.logger.error(`a feed failed: ${error instanceof Error ? error.message : String(error)}`);
        reply.raw.destroy();
      })
      .finally(() => {
        abort.abort();
        this.open.delete(abort);
      });
  }

  /** Open feeds end with `event: end` (reason shutdown) before the server closes, not at its grace timeout. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const feed of this.open) feed.abort();
  }
}

function parseFeed(query: Record<string, unknown>, lastEventId: string | string[] | undefined): FeedFilter {
  const details: ErrorDetail[] = Object.keys(query)
    .filter((field) => !FEED_FILTERS.includes(field))
    .map((field) => ({
      field,
      code: 'whitelistValidation',
      message: `${field} is not a filter of the live feed; it takes: ${FEED_FILTERS.join(', ')}`,
    }));
  const known = Object.fromEntries(Object.entries(query).filter(([field]) => FEED_FILTERS.includes(field)));
  const parsed = parseEventFilter(known);
  if (!parsed.ok) details.push(...parsed.details);
  let resumeAfter: number | undefined;
  if (lastEventId !== undefined) {
    if (typeof lastEventId === 'string' && POSITION.test(lastEventId.trim()))
      resumeAfter = Number(lastEventId.trim());
    else
      details.push({
        field: 'Last-Event-ID',
        code: 'isInt',
        message: 'Last-Event-ID is a position, an integer ≥ 0',
      });
  }
  if (details.length > 0 || !parsed.ok) throw new RequestValidationError(details);
  const { types, customerId, afterPosition } = parsed.filter;
  return {
    after: resumeAfter ?? afterPosition ?? 0,
    ...(types && { types }),
    ...(customerId !== undefined && { customerId }),
  };
}
