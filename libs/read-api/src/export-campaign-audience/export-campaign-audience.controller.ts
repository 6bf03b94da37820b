import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Query as QueryParam, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiMinPositionQuery,
  CLOCK,
  type Clock,
  RequireRoles,
} from '@crm/platform';
import {
  CampaignQueries,
  CustomerSegments,
  JOURNEY_STAGES,
  MARKETING_CONSENT_PURPOSE,
  VALUE_TIERS,
} from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { MAX_CAMPAIGN_ID_LENGTH, parseCampaignId } from '../get-campaign/get-campaign.query';
import { awaitPosition } from '../shared/read-consistency';
import { AUDIENCE_COLUMNS, audienceLines, audienceMembers } from './audience-lines';
import { AUDIENCE_FORMATS, MAX_PURPOSE_LENGTH, parseAudienceQuery } from './audience.query';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' } as const;

const MEMBER_SCHEMA: SchemaObject = {
  type: 'object',
  required: [...AUDIENCE_COLUMNS],
  properties: {
    customerId: { type: 'string' },
    kind: { type: 'string', enum: ['person', 'company'] },
    segment: { type: 'string', nullable: true },
    stage: { type: 'string', enum: [...JOURNEY_STAGES] },
    valueTier: { type: 'string', enum: [...VALUE_TIERS] },
    lastTouchAt: { type: 'string', format: 'date-time', nullable: true },
  },
};

/**
 * The customers to contact for a campaign: a segment (value tier, stage,
 * last touch) without the customers whose latest consent for the purpose
 * is not granted and without erased ones, streamed as NDJSON or CSV.
 */
@ApiTags('read models')
@RequireRoles('read')
@Controller('campaigns')
export class ExportCampaignAudienceController {
  constructor(
    private readonly campaigns: CampaignQueries,
    private readonly segments: CustomerSegments,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':campaignId/audience')
  @ApiOperation({
    summary: 'The audience of a campaign: consenting, not erased customers of a segment, as NDJSON or CSV',
    description:
      'Customers in customerId order. The campaign need not have any interaction yet (an audience is exported before the sends). ' +
      'Unknown query parameters are refused (400); once the first line is sent the status is 200.',
  })
  @ApiParam({
    name: 'campaignId',
    schema: { type: 'string', minLength: 1, maxLength: MAX_CAMPAIGN_ID_LENGTH },
  })
  @ApiQuery({
    name: 'purpose',
    required: false,
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_PURPOSE_LENGTH,
      default: MARKETING_CONSENT_PURPOSE,
    },
    description: 'Consent purpose the latest ConsentChanged must grant',
  })
  @ApiQuery({ name: 'valueTier', required: false, enum: VALUE_TIERS })
  @ApiQuery({ name: 'stage', required: false, enum: JOURNEY_STAGES })
  @ApiInstantQuery('lastTouchBefore', 'Only customers whose last touchpoint occurred before this instant')
  @ApiInstantQuery('lastTouchAfter', 'Only customers whose last touchpoint occurred at or after this instant')
  @ApiQuery({ name: 'format', required: false, enum: AUDIENCE_FORMATS, description: 'Default ndjson' })
  @ApiMinPositionQuery()
  @ApiErrorResponses(400, 409, 503)
  @ApiOkResponse({
    description: `One customer a line: NDJSON objects, or CSV with the header ${AUDIENCE_COLUMNS.join(',')}`,
    content: {
      [CONTENT_TYPES.ndjson]: { schema: MEMBER_SCHEMA },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async export(
    @Param('campaignId') rawCampaignId: string,
    @QueryParam() raw: Record<string, unknown>,
  ): Promise<StreamableFile> {
    // Validated in full before the first byte: once streaming starts, the status is 200.
    parseCampaignId(rawCampaignId);
    const { query, minPosition } = parseAudienceQuery(raw);
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const members = audienceMembers(
      {
        segment: (segmentQuery) => this.segments.list(segmentQuery),
        facts: (customerIds) => this.campaigns.audienceFacts(customerIds),
      },
      query,
      this.clock.now().toISOString(),
    );
    return new StreamableFile(Readable.from(audienceLines(members, query.format)), {
      type: CONTENT_TYPES[query.format],
    });
  }
}
