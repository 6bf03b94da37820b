import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiError,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiMinPositionQuery,
  CLOCK,
  type Clock,
  ErrorResponseSchema,
  RequireRoles,
} from '@crm/platform';
import { CampaignQueries } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition } from '../shared/read-consistency';
import { CampaignResponse } from './campaign.response';
import { MAX_CAMPAIGN_ID_LENGTH, parseCampaignId, parseCampaignPeriod } from './get-campaign.query';

/** A campaignId no CampaignInteraction has named (as far as the read models reflect). */
export class CampaignNotFoundError extends ApiError {
  constructor(campaignId: string) {
    super(404, 'CAMPAIGN.NOT_FOUND', `No campaign ${campaignId} has been seen`);
    this.name = 'CampaignNotFoundError';
  }
}

/** One campaign's figures, all time (counters) or for a period (its member documents). */
@ApiTags('read models')
@RequireRoles('read')
@Controller('campaigns')
export class GetCampaignController {
  constructor(
    private readonly campaigns: CampaignQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':campaignId')
  @ApiOperation({
    summary: 'A campaign: distinct customers per action, the four rates and last-click attributed revenue',
    description:
      'Interactions, purchases and refunds count by occurredAt in [from, to); without from and to, all time.',
  })
  @ApiParam({
    name: 'campaignId',
    schema: { type: 'string', minLength: 1, maxLength: MAX_CAMPAIGN_ID_LENGTH },
  })
  @ApiInstantQuery('from', 'Inclusive ISO-8601 instant; absent: from the beginning')
  @ApiInstantQuery('to', 'Exclusive ISO-8601 instant; absent: no end')
  @ApiMinPositionQuery()
  @ApiErrorResponses(400, 409, 503)
  @ApiResponse({
    status: 404,
    description: 'No interaction names this campaign (CAMPAIGN.NOT_FOUND)',
    type: ErrorResponseSchema,
  })
  @ApiOkResponse({ type: CampaignResponse })
  async get(
    @Param('campaignId') rawCampaignId: string,
    @QueryParam() raw: Record<string, unknown>,
  ): Promise<CampaignResponse> {
    const campaignId = parseCampaignId(rawCampaignId);
    const { period, minPosition } = parseCampaignPeriod(raw);
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    const figures = await this.campaigns.get(campaignId, period);
    if (figures === null) throw new CampaignNotFoundError(campaignId);
    return {
      campaignId,
      from: period.from,
      to: period.to,
      ...figures,
      attributionWindowDays: this.config.projections.attributionWindowDays,
      meta: { position, asOf: this.clock.now().toISOString() },
    };
  }
}
