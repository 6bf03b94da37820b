import { Controller, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiCursorQuery, ApiErrorResponses, ApiLimitQuery, RequireRoles } from '@crm/platform';
import { choiceParam, integerParam, singleParam } from '@crm/read-api';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@crm/read-store';
import { DEAD_LETTER_STATUSES } from '../reactor/reactor.documents';
import { AutomationsAdmin } from './automations-admin';
import {
  AutomationDeadLetterPageResponse,
  AutomationDeadLetterResponse,
  AutomationOverviewResponse,
  AutomationsOverviewResponse,
} from './automations.response';

const NAME = ApiParam({
  name: 'name',
  description: 'feedback or service-level (GET /admin/automations lists them)',
});
const ID = ApiParam({ name: 'id', description: '<automation>:<phase>:<triggerEventId>, as listed' });

/** The reactors (docs/automations.md): state, pause and resume, dead letters. Role admin. */
@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/automations')
export class AutomationsController {
  constructor(private readonly admin: AutomationsAdmin) {}

  @Get()
  @ApiOkResponse({
    type: AutomationsOverviewResponse,
    description:
      'Per automation: checkpoint, head, lag in events, paused, open dead letters, pending deadlines, last error',
  })
  async list(): Promise<AutomationsOverviewResponse> {
    return { automations: await this.admin.all() };
  }

  @Get('dead-letters')
  @ApiErrorResponses(400)
  @ApiQuery({ name: 'status', required: false, enum: DEAD_LETTER_STATUSES })
  @ApiQuery({ name: 'automation', required: false, description: 'feedback or service-level' })
  @ApiCursorQuery()
  @ApiLimitQuery(MAX_LIMIT, DEFAULT_LIMIT)
  @ApiOkResponse({
    type: AutomationDeadLetterPageResponse,
    description: 'Dead letters of the automations in id order, references only (never event data)',
  })
  deadLetters(
    @QueryParam('status') status?: string,
    @QueryParam('automation') automation?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<AutomationDeadLetterPageResponse> {
    return this.admin.deadLetters({
      status: choiceParam('status', status, DEAD_LETTER_STATUSES),
      reactor: singleParam('automation', automation),
      cursor: singleParam('cursor', cursor),
      limit: integerParam('limit', limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
    });
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @ApiOkResponse({
    type: AutomationDeadLetterResponse,
    description: "The letter, now retried: the trigger's events are recorded (same ids)",
  })
  retry(@Param('id') id: string): Promise<AutomationDeadLetterResponse> {
    return this.admin.retry(id);
  }

  @Post('dead-letters/:id/skip')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @ApiOkResponse({
    type: AutomationDeadLetterResponse,
    description: 'The letter, now skipped: accepted as not recorded',
  })
  skip(@Param('id') id: string): Promise<AutomationDeadLetterResponse> {
    return this.admin.skip(id);
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @NAME
  @ApiOkResponse({
    type: AutomationOverviewResponse,
    description: 'The automation stops after its current step, wherever it runs; nothing is lost',
  })
  pause(@Param('name') name: string): Promise<AutomationOverviewResponse> {
    return this.admin.pause(name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @NAME
  @ApiOkResponse({
    type: AutomationOverviewResponse,
    description: 'The automation catches up from its checkpoint and fires the deadlines due meanwhile',
  })
  resume(@Param('name') name: string): Promise<AutomationOverviewResponse> {
    return this.admin.resume(name);
  }
}
