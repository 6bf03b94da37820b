import { ApiProperty } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import {
  KPI_PROCESSES,
  type KpiDefinition,
  type KpiProcessName,
  type KpiReport,
  type PayneFrowKpis,
} from '@crm/projections';
import { NULLABLE_NUMBER } from '../shared/read-meta.response';

/**
 * One process's object: its figures as the registry defines them (the
 * process files in libs/projections/src/kpi/processes), each with its
 * description, so a new KPI reaches the document without an edit here.
 */
function section(process: KpiProcessName): ApiPropertyOptions {
  const kpis = Object.entries<KpiDefinition<never>>(KPI_PROCESSES[process].kpis);
  return {
    type: 'object',
    required: kpis.map(([name]) => name),
    properties: Object.fromEntries(
      kpis.map(([name, kpi]) => [name, { ...kpi.schema, description: kpi.description }]),
    ),
  } as ApiPropertyOptions;
}

/** The five Payne & Frow processes of one period (domain.md); amounts in minor units. */
export class PayneFrowKpisResponse implements PayneFrowKpis {
  @ApiProperty(section('strategyDevelopment'))
  strategyDevelopment!: PayneFrowKpis['strategyDevelopment'];

  @ApiProperty(section('valueCreation'))
  valueCreation!: PayneFrowKpis['valueCreation'];

  @ApiProperty(section('multichannelIntegration'))
  multichannelIntegration!: PayneFrowKpis['multichannelIntegration'];

  @ApiProperty({
    ...section('informationManagement'),
    description: 'On the live route also projectionLag { events, seconds }',
  })
  informationManagement!: PayneFrowKpis['informationManagement'];

  @ApiProperty(section('performanceAssessment'))
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
