import { ApiProperty } from '@nestjs/swagger';
import type { CampaignSummary } from '@crm/projections';
import { NULLABLE_NUMBER, ReadMetaResponse } from '../shared/read-meta.response';

/** A campaign's all-time figures (domain.md, "Campaign performance"). */
export class CampaignSummaryResponse implements CampaignSummary {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct customers with a send' })
  sent!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct customers with an open' })
  opened!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct customers with a click' })
  clicked!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Distinct customers with a conversion' })
  converted!: number;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'opened / sent; null when sent is 0' })
  openRate!: number | null;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'clicked / sent; null when sent is 0' })
  clickRate!: number | null;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'clicked / opened; null when opened is 0' })
  clickToOpen!: number | null;
  @ApiProperty({ ...NULLABLE_NUMBER, description: 'converted / sent; null when sent is 0' })
  conversionRate!: number | null;
  @ApiProperty({
    type: 'integer',
    description: 'Purchases attributed by last click minus refunds of those orders, minor units',
  })
  attributedRevenue!: number;
}

/** GET /campaigns: a page of campaigns. */
export class CampaignPageResponse {
  @ApiProperty({ type: [CampaignSummaryResponse] }) items!: CampaignSummaryResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
