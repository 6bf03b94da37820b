import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiCursorQuery,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiLimitQuery,
  ApiMinPositionQuery,
  CLOCK,
  type Clock,
  RequireRoles,
} from '@crm/platform';
import { FollowUpQueries, WORKLIST_STATUSES } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { MAX_LIMIT } from '@crm/read-store';
import { awaitPosition } from '../shared/read-consistency';
import { FollowUpWorklistResponse } from './follow-up-item.response';
import { DEFAULT_WORKLIST_LIMIT, MAX_ASSIGNEE_LENGTH, parseListFollowUps } from './list-follow-ups.query';

/**
 * Worklists (domain.md, "Follow-ups"): the open follow-ups of one assignee
 * (or of everyone), sorted by due date, from the follow-ups read model.
 * Open-ness is as recorded; asOf only says which are overdue.
 */
@ApiTags('follow-ups')
@RequireRoles('read')
@Controller('follow-ups')
export class ListFollowUpsController {
  constructor(
    private readonly followUps: FollowUpQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'A worklist: open (or overdue) follow-ups sorted by dueAt, ties by followUpId',
    description:
      'Open means not completed or cancelled, as recorded now; overdue means open and dueAt < asOf. ' +
      'Unknown query parameters are refused (400).',
  })
  @ApiErrorResponses(400, 409, 503)
  @ApiQuery({
    name: 'assignee',
    required: false,
    schema: { type: 'string', maxLength: MAX_ASSIGNEE_LENGTH },
    description: "One agent's or queue's worklist, exactly; absent: everyone's",
  })
  @ApiQuery({ name: 'status', required: false, enum: WORKLIST_STATUSES, description: 'Default open' })
  @ApiInstantQuery('asOf', 'The instant overdue is judged at; default now')
  @ApiLimitQuery(MAX_LIMIT, DEFAULT_WORKLIST_LIMIT)
  @ApiCursorQuery('next of the previous page')
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: FollowUpWorklistResponse })
  async list(@QueryParam() raw: Record<string, unknown>): Promise<FollowUpWorklistResponse> {
    const { query, minPosition } = parseListFollowUps(raw, this.clock.now());
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    const page = await this.followUps.worklist(query);
    return { items: page.items, next: page.nextCursor, meta: { position, asOf: query.asOf } };
  }
}
