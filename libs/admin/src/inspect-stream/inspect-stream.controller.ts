import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@crm/domain';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiErrorResponses, ApiLimitQuery, integerSchema, RequireRoles } from '@crm/platform';
import { integerParam } from '@crm/read-api';
import { StreamInspectionResponse } from './stream-inspection.response';

const MAX_PAGE = 1000;

/** Any stream of the log, whole events included: for operators, not for clients. */
@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/streams/:streamId')
export class InspectStreamController {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  @Get()
  @ApiErrorResponses(400, 404)
  @ApiParam({ name: 'streamId', description: 'e.g. customer-<customerId>' })
  @ApiQuery({
    name: 'fromRevision',
    required: false,
    schema: integerSchema(0, 999_999_999_999_999, 0),
    description: 'First revision to return (default 0)',
  })
  @ApiLimitQuery(MAX_PAGE, 100)
  @ApiOkResponse({
    type: StreamInspectionResponse,
    description: 'A page of the stream, its revision and first and last recordedAt',
  })
  async inspect(
    @Param('streamId') streamId: string,
    @QueryParam('fromRevision') fromRevision?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<StreamInspectionResponse> {
    const from = integerParam('fromRevision', fromRevision, 0, 0, Number.MAX_SAFE_INTEGER);
    const size = integerParam('limit', limit, 100, 1, MAX_PAGE);
    const revision = await this.events.streamRevision(streamId);
    if (revision === null) throw new DomainError('STREAM.NOT_FOUND', 'not_found', `No stream ${streamId}`);
    const [events, [first], [last]] = await Promise.all([
      this.events.readStream(streamId, { fromRevision: from, limit: size }),
      this.events.readStream(streamId, { fromRevision: 0, limit: 1 }),
      this.events.readStream(streamId, { fromRevision: revision, limit: 1 }),
    ]);
    const end = events[events.length - 1];
    return {
      streamId,
      revision,
      firstRecordedAt: first?.recordedAt ?? '',
      lastRecordedAt: last?.recordedAt ?? '',
      events,
      nextRevision: end && end.revision < revision ? end.revision + 1 : null,
    };
  }
}
