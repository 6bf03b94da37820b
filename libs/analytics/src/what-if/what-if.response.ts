import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { WhatIfResult } from './what-if';

const NULLABLE_NUMBER = { type: 'number', nullable: true } as const;
const VALUE_TIER = { type: 'string', enum: ['prospect', 'below_zero', 'low', 'core', 'mvc'] } as const;
const STATUS = { type: 'string', enum: ['active', 'lapsed'] } as const;
const COMPARED = {
  type: 'object' as const,
  required: ['whatIf', 'baseline'],
  properties: { whatIf: { type: 'number' }, baseline: { type: 'number' } },
};
const PARAMETERS: ApiPropertyOptions = {
  type: 'object' as const,
  required: ['asOf', 'churnWindowDays', 'scoring'],
  properties: {
    asOf: { type: 'string', format: 'date-time' },
    churnWindowDays: { type: 'integer', minimum: 1 },
    scoring: {
      type: 'object',
      required: ['valueTierCutoffs', 'rfmWeights'],
      properties: {
        valueTierCutoffs: { type: 'object', additionalProperties: { type: 'number' } },
        rfmWeights: { type: 'object', additionalProperties: { type: 'number' } },
      },
    },
  },
};

class WhatIfCustomerResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: 'number' }) netRevenue!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) orders!: number;
  @ApiProperty(NULLABLE_NUMBER) daysSinceLastPurchase!: number | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: { type: 'number' } }) rfm!:
    object | null;
  @ApiProperty(NULLABLE_NUMBER) differentiationScore!: number | null;
  @ApiProperty(VALUE_TIER) valueTier!: string;
  @ApiProperty(STATUS) status!: string;
  @ApiProperty({
    type: 'object',
    required: ['differentiationScore', 'valueTier', 'status'],
    properties: { differentiationScore: NULLABLE_NUMBER, valueTier: VALUE_TIER, status: STATUS },
  })
  baseline!: object;
}

/** POST /analytics/what-if: IDIC rescored with other parameters, beside today's. */
export class WhatIfResponse implements Record<keyof WhatIfResult, unknown> {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ ...PARAMETERS, description: 'What this run scored with' }) parameters!: object;
  @ApiProperty({ ...PARAMETERS, description: 'What the live read API scores with' }) baseline!: object;
  @ApiProperty({
    type: 'object',
    required: ['customers', 'purchasers', 'valueTiers', 'status', 'tierChanged', 'meanDifferentiationScore'],
    properties: {
      customers: { type: 'integer', minimum: 0 },
      purchasers: { type: 'integer', minimum: 0 },
      valueTiers: { type: 'object', additionalProperties: COMPARED },
      status: { type: 'object', additionalProperties: COMPARED },
      tierChanged: { type: 'integer', minimum: 0 },
      meanDifferentiationScore: {
        type: 'object',
        required: ['whatIf', 'baseline'],
        properties: { whatIf: NULLABLE_NUMBER, baseline: NULLABLE_NUMBER },
      },
    },
  })
  summary!: object;
  @ApiProperty({ type: [WhatIfCustomerResponse] }) items!: WhatIfCustomerResponse[];
  @ApiProperty({ type: 'integer', minimum: 0 }) total!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'offset of the next page' })
  nextOffset!: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The log position the history was read up to' })
  position!: number;
}

class HorizonCustomerResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1 }) probabilityAlive!: number;
  @ApiProperty({ type: 'number' }) expectedPurchases!: number;
  @ApiProperty(NULLABLE_NUMBER) predictedValue!: number | null;
}

class HorizonSummaryResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) customers!: number;
  @ApiProperty({ type: 'number' }) expectedPurchases!: number;
  @ApiProperty({ type: 'number', description: 'Minor units' }) predictedValue!: number;
}

/** Purchases and value the latest predicted-value fit expects over the horizon (docs/analytics.md). */
class WhatIfHorizonResponse {
  @ApiProperty({ type: 'integer', minimum: 1 }) horizonDays!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'Null before the first fit' }) fitId!:
    string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) calibrationEnd!: string | null;
  @ApiProperty({ type: HorizonSummaryResponse, description: 'Over every customer of the fit' })
  summary!: HorizonSummaryResponse;
  @ApiProperty({ type: [HorizonCustomerResponse], description: 'The page’s customers the fit covers' })
  items!: HorizonCustomerResponse[];
}

/** The answer, with `horizon` when `horizonDays` was asked for. */
export class WhatIfWithHorizonResponse extends WhatIfResponse {
  @ApiProperty({ type: WhatIfHorizonResponse, required: false }) horizon?: WhatIfHorizonResponse;
}
