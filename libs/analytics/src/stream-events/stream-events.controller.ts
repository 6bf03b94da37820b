import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  ApiErrorResponses,
  ApiInstantQuery,
  integerSchema,
  POSITION_SCHEMA,
  RequestValidationError,
  RequireRoles,
} from '@crm/platform';
import { parseEventFilter } from '../event-log/event-filter';
import { ApiCustomerFilterQuery, ApiEventTypesQuery } from '../event-log/event-filter.openapi';
import { eventLogNdjson } from '../event-log/event-log.scan';

export const NDJSON = 'application/x-ndjson';

/** Replay: the global log as NDJSON, the same format `crm export` writes and `crm import` reads. */
@ApiTags('analytics')
@Controller('events')
export class StreamEventsController {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  @Get()
  @RequireRoles('analyst')
  @ApiErrorResponses(400)
  @ApiEventTypesQuery()
  @ApiCustomerFilterQuery()
  @ApiInstantQuery('occurredFrom', 'occurredAt ≥ this ISO-8601 instant, at or before occurredTo')
  @ApiInstantQuery('occurredTo', 'occurredAt < this ISO-8601 instant')
  @ApiQuery({
    name: 'afterPosition',
    required: false,
    schema: POSITION_SCHEMA,
    description: 'position > this (resume after it); at most toPosition',
  })
  @ApiQuery({ name: 'toPosition', required: false, schema: POSITION_SCHEMA, description: 'position ≤ this' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: integerSchema(1, 999_999_999_999_999),
    description: 'At most this many events',
  })
  @ApiOkResponse({
    description:
      'One recorded event per line (position, streamId, revision, eventId, type, version, occurredAt, recordedAt, data, metadata), in position order, up to the log head when the request started',
    content: { [NDJSON]: { schema: { type: 'string' } } },
  })
  stream(@Query() query: Record<string, unknown>): StreamableFile {
    // Validated in full before the first byte: once streaming starts, the status is 200.
    const parsed = parseEventFilter(query);
    if (!parsed.ok) throw new RequestValidationError(parsed.details);
    return new StreamableFile(eventLogNdjson(this.events, parsed.filter), { type: NDJSON });
  }
}
