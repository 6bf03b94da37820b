import { ApiProperty } from '@nestjs/swagger';
import type { ApiPropertyOptions, SchemaObject } from '@nestjs/swagger';
import type { KpiReport, PayneFrowKpis } from '@crm/projections';
import { NULLABLE_NUMBER } from '../shared/read-meta.response';

const COUNTS: SchemaObject = { type: 'object', additionalProperties: { type: 'number' } };
const RATE: SchemaObject = { ...NULLABLE_NUMBER };

function section(properties: Record<string, SchemaObject>): ApiPropertyOptions {
  return { type: 'object', required: Object.keys(properties), properties } as ApiPropertyOptions;
}

/** The five Payne & Frow processes of one period (domain.md); amounts in minor units. */
export class PayneFrowKpisResponse implements PayneFrowKpis {
  @ApiProperty(
    section({
      newCustomers: {
        type: 'object',
        required: ['total', 'byKind', 'bySegment', 'byKindAndSegment'],
        properties: {
          total: { type: 'integer', minimum: 0 },
          byKind: COUNTS,
          bySegment: COUNTS,
          byKindAndSegment: { type: 'object', additionalProperties: COUNTS },
        },
      },
      revenueBySegment: COUNTS,
    }),
  )
  strategyDevelopment!: PayneFrowKpis['strategyDevelopment'];

  @ApiProperty(
    section({
      revenue: { type: 'integer', description: 'Net: purchases minus refunds, minor units' },
      orders: { type: 'integer', minimum: 0 },
      aov: RATE,
      purchaseFrequency: RATE,
      repeatPurchaseRate: RATE,
      retentionRate: RATE,
      churnRate: RATE,
    }),
  )
  valueCreation!: PayneFrowKpis['valueCreation'];

  @ApiProperty(
    section({
      touchpointsByChannel: COUNTS,
      multichannelShare: RATE,
      medianFirstResponseMinutes: RATE,
    }),
  )
  multichannelIntegration!: PayneFrowKpis['multichannelIntegration'];

  @ApiProperty({
    ...section({
      avgProfileCompleteness: RATE,
      marketingConsentShare: RATE,
      identifiedShare: RATE,
    }),
    description: 'On the live route also projectionLag { events, seconds }',
  })
  informationManagement!: PayneFrowKpis['informationManagement'];

  @ApiProperty({
    ...section({
      nps: RATE,
      csat: RATE,
      ces: RATE,
      firstContactResolution: RATE,
      funnel: COUNTS,
      conversionRate: RATE,
    }),
  })
  performanceAssessment!: PayneFrowKpis['performanceAssessment'];
}

export class KpiPeriodResponse extends PayneFrowKpisResponse {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

/** { from, to, granularity, periods, total }: the report; each route adds its meta. */
export class KpiReportResponse implements KpiReport {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: 'string', enum: ['day', 'week', 'month'], nullable: true })
  granularity!: KpiReport['granularity'];
  @ApiProperty({ type: [KpiPeriodResponse] }) periods!: KpiReport['periods'];
  @ApiProperty({ type: PayneFrowKpisResponse, description: 'The whole range as one period' })
  total!: KpiReport['total'];
}

class ProjectionLagResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) events!: number;
  @ApiProperty(NULLABLE_NUMBER) seconds!: number | null;
}

class KpiMetaResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) position!: number;
  @ApiProperty({ type: ProjectionLagResponse }) projectionLag!: ProjectionLagResponse;
}

export class KpisResponse extends KpiReportResponse {
  @ApiProperty({ type: KpiMetaResponse }) meta!: KpiMetaResponse;
}
