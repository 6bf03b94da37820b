import { ApiProperty } from '@nestjs/swagger';
import type { CheckResult, ReadinessReport } from './readiness';

export class LivenessResponse {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
}

/** 200 when every check is up, 503 with the same body when one is not. */
export class ReadinessResponse implements ReadinessReport {
  @ApiProperty({ enum: ['up', 'down'] }) status!: ReadinessReport['status'];

  @ApiProperty({
    type: 'object',
    description:
      'Per engine (eventStore, readStore, projections, …): status up with details, or down with a reason',
    additionalProperties: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['up', 'down'] }, reason: { type: 'string' } },
    },
  })
  checks!: Readonly<Record<string, CheckResult>>;
}
