import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiCursorQuery,
  ApiErrorResponses,
  ApiLimitQuery,
  ApiMinPositionQuery,
  CLOCK,
  type Clock,
  RequireRoles,
} from '@crm/platform';
import { CAMPAIGN_SORTS, CampaignQueries, SORT_ORDERS } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { MAX_LIMIT } from '@crm/read-store';
import { awaitPosition } from '../shared/read-consistency';
import { CampaignPageResponse } from './campaign-page.response';
import { parseListCampaigns } from './list-campaigns.query';

/** Every campaign ever seen with its all-time figures, sorted and paged (read from counters only). */
@ApiTags('read models')
@RequireRoles('read')
@Controller('campaigns')
export class ListCampaignsController {
  constructor(
    private readonly campaigns: CampaignQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Campaigns with their all-time figures, sorted and paged',
    description: 'Unknown query parameters are refused (400). Ties sort by campaignId in the same direction.',
  })
  @ApiErrorResponses(400, 409, 503)
  @ApiQuery({ name: 'sort', required: false, enum: CAMPAIGN_SORTS, description: 'Default sent' })
  @ApiQuery({
    name: 'order',
    required: false,
    enum: SORT_ORDERS,
    description: 'Default desc; a null rate sorts lowest (last when desc)',
  })
  @ApiLimitQuery(MAX_LIMIT, 100)
  @ApiCursorQuery()
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: CampaignPageResponse, description: '{ items, nextCursor, meta }' })
  async list(@QueryParam() raw: Record<string, unknown>): Promise<CampaignPageResponse> {
    const { query, minPosition } = parseListCampaigns(raw);
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    const page = await this.campaigns.list(query);
    return { ...page, meta: { position, asOf: this.clock.now().toISOString() } };
  }
}
