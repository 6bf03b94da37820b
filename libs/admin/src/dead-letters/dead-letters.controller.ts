import { Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, RequireRoles } from '@crm/platform';
import type { DeadLetterDocument } from '@crm/projections';
import { singleParam } from '@crm/read-api';
import { DEFAULT_LIMIT, MAX_LIMIT, type Page } from '@crm/read-store';
import { choiceParam, integerParam } from '../shared/query-params';
import { DEAD_LETTER_STATUSES, DeadLetterAdmin } from './dead-letter-admin';

@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @Get()
  @ApiErrorResponses(400)
  @ApiQuery({ name: 'status', required: false, description: 'open, retried or skipped' })
  @ApiQuery({ name: 'projection', required: false, description: 'e.g. customer-journey' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIMIT} (default ${DEFAULT_LIMIT})` })
  @ApiOkResponse({ description: 'Dead letters in id order, references only (never event data)' })
  list(
    @QueryParam('status') status?: string,
    @QueryParam('projection') projection?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<Page<DeadLetterDocument>> {
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
  @ApiOkResponse({ description: "The letter, now retried: the customer's documents were recomputed" })
  retry(@Param('id') id: string): Promise<DeadLetterDocument> {
    return this.deadLetters.retry(id);
  }

  @Post(':id/skip')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ApiOkResponse({ description: 'The letter, now skipped: accepted as not applied' })
  skip(@Param('id') id: string): Promise<DeadLetterDocument> {
    return this.deadLetters.skip(id);
  }
}
