import { ApiProperty } from '@nestjs/swagger';
import { CampaignSummaryResponse } from '../list-campaigns/campaign-page.response';
import { NULLABLE_INSTANT, ReadMetaResponse } from '../shared/read-meta.response';

/** GET /campaigns/:campaignId: the campaign's figures for [from, to) (all time without bounds). */
export class CampaignResponse extends CampaignSummaryResponse {
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'Inclusive; null: from the beginning' })
  from!: string | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'Exclusive; null: up to now and beyond' })
  to!: string | null;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Last-click window the revenue was attributed with (CAMPAIGN_ATTRIBUTION_WINDOW_DAYS)',
  })
  attributionWindowDays!: number;
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
