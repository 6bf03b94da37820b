import { ApiProperty } from '@nestjs/swagger';
import type { ScoresView } from '@crm/projections';
import { OPEN_OBJECT, ReadMetaResponse } from '../shared/read-meta.response';

/** The IDIC view (domain.md) and the ranks it was scored from; time travel answers the same shape. */
export class ScoresViewResponse implements ScoresView {
  @ApiProperty() customerId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;

  @ApiProperty({
    type: 'object',
    required: ['email', 'phone', 'profileCompleteness'],
    properties: {
      email: { type: 'string', nullable: true },
      phone: { type: 'string', nullable: true },
      profileCompleteness: { type: 'number', minimum: 0, maximum: 1 },
    },
  })
  identify!: ScoresView['identify'];

  @ApiProperty({
    type: 'object',
    required: ['value', 'needs'],
    properties: {
      value: {
        type: 'object',
        required: ['netRevenue', 'purchaseTotal', 'refundTotal', 'orders', 'rfm', 'valueTier'],
        properties: {
          netRevenue: { type: 'number' },
          purchaseTotal: { type: 'number' },
          refundTotal: { type: 'number' },
          orders: { type: 'integer', minimum: 0 },
          aov: { type: 'number', nullable: true },
          lastPurchaseAt: { type: 'string', format: 'date-time', nullable: true },
          daysSinceLastPurchase: { type: 'number', nullable: true },
          rfm: {
            ...OPEN_OBJECT,
            nullable: true,
            description: 'recency, frequency, monetary; null for a prospect',
          },
          differentiationScore: { type: 'number', nullable: true },
          valueTier: { type: 'string', enum: ['prospect', 'below_zero', 'low', 'core', 'mvc'] },
        },
      },
      needs: {
        type: 'object',
        required: ['preferredChannel', 'topCategory'],
        properties: {
          preferredChannel: { type: 'string', nullable: true },
          topCategory: { type: 'string', nullable: true },
        },
      },
    },
  })
  differentiate!: ScoresView['differentiate'];

  @ApiProperty({
    type: 'object',
    required: ['touchpoints', 'touchpoints90d', 'inboundShare'],
    properties: {
      touchpoints: { type: 'integer', minimum: 0 },
      touchpoints90d: { type: 'integer', minimum: 0 },
      inboundShare: { type: 'number', nullable: true },
    },
  })
  interact!: ScoresView['interact'];

  @ApiProperty({
    type: 'object',
    required: ['latestNps', 'npsClass', 'avgCsat'],
    properties: {
      latestNps: { type: 'number', nullable: true },
      npsClass: { type: 'string', enum: ['promoter', 'passive', 'detractor'], nullable: true },
      avgCsat: { type: 'number', nullable: true },
    },
  })
  satisfaction!: ScoresView['satisfaction'];

  @ApiProperty({
    type: 'object',
    nullable: true,
    required: ['recencyLower', 'frequencyLower', 'monetaryLower', 'purchasers'],
    properties: {
      recencyLower: { type: 'integer' },
      frequencyLower: { type: 'integer' },
      monetaryLower: { type: 'integer' },
      purchasers: { type: 'integer' },
    },
    description: 'The population ranks the scores come from; null for a prospect',
  })
  ranks!: ScoresView['ranks'];
}

/** Where the predicted-value figures of a scores answer come from: the latest fit (docs/analytics.md). */
export class PredictionSourceResponse {
  @ApiProperty() fitId!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The fit’s calibration end: the figures are as of it, not asOf',
  })
  calibrationEnd!: string;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Expected value of a purchase day, minor units',
  })
  expectedAverageValue!: number | null;
}

export class CustomerScoresResponse extends ScoresViewResponse {
  @ApiProperty({
    type: 'number',
    nullable: true,
    minimum: 0,
    maximum: 1,
    description:
      'BG/NBD P(alive) at the latest fit’s calibration end; null without a fit covering the customer',
  })
  probabilityAlive!: number | null;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Purchase days expected in the 365 days after it',
  })
  expectedPurchases365d!: number | null;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'expectedPurchases365d × expected value per purchase day (Gamma-Gamma), minor units',
  })
  predictedValue!: number | null;
  @ApiProperty({ type: PredictionSourceResponse, nullable: true })
  prediction!: PredictionSourceResponse | null;
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
