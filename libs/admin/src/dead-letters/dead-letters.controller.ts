import { Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiCursorQuery, ApiErrorResponses, ApiLimitQuery, RequireRoles } from '@crm/platform';
import { choiceParam, integerParam, singleParam } from '@crm/read-api';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@crm/read-store';
import { DEAD_LETTER_STATUSES, DeadLetterAdmin } from './dead-letter-admin';
import { DeadLetterPageResponse, DeadLetterResponse } from './dead-letter.response';

const ID = ApiParam({ name: 'id', description: '<projection>:<eventId>, as listed' });

@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @Get()
  @ApiErrorResponses(400)
  @ApiQuery({ name: 'status', required: false, enum: DEAD_LETTER_STATUSES })
  @ApiQuery({ name: 'projection', required: false, description: 'e.g. customer-journey' })
  @ApiCursorQuery()
  @ApiLimitQuery(MAX_LIMIT, DEFAULT_LIMIT)
  @ApiOkResponse({
    type: DeadLetterPageResponse,
    description: 'Dead letters in id order, references only (never event data)',
  })
  list(
    @QueryParam('status') status?: string,
    @QueryParam('projection') projection?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<DeadLetterPageResponse> {
    return this.deadLetters.list({
      status: choiceParam('status', status, DEAD_LETTER_STATUSES),
      projection: singleParam('projection', projection),
      cursor: singleParam('cursor', cursor),
      limit: integerParam('limit', limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
    });
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @ApiOkResponse({
    type: DeadLetterResponse,
    description: "The letter, now retried: the customer's documents were recomputed",
  })
  retry(@Param('id') id: string): Promise<DeadLetterResponse> {
    return this.deadLetters.retry(id);
  }

  @Post(':id/skip')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @ApiOkResponse({
    type: DeadLetterResponse,
    description: 'The letter, now skipped: accepted as not applied',
  })
  skip(@Param('id') id: string): Promise<DeadLetterResponse> {
    return this.deadLetters.skip(id);
  }
}
