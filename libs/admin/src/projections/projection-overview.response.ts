import { ApiProperty } from '@nestjs/swagger';
import type { Lag, ProjectionOverview, TransportOverview } from './projection-overview';

class LagResponse implements Lag {
  @ApiProperty({ type: 'integer', minimum: 0 }) events!: number;
  @ApiProperty({ type: 'number', minimum: 0 }) seconds!: number;
}

class ProjectionErrorsResponse {
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) deadLettered!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) deadLettersOpen!: number;
}

class RebuildResponse {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['rebuilding', 'failed'] }) state!: 'rebuilding' | 'failed';
  @ApiProperty({ type: 'integer', minimum: 0 }) checkpoint!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) eventsApplied!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: LagResponse }) lag!: LagResponse;
}

/** One projection as the admin routes describe it. */
export class ProjectionOverviewResponse implements ProjectionOverview {
  @ApiProperty({ example: 'customer-journey' }) name!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ enum: ['running', 'paused', 'rebuilding', 'failed', 'stopped'] })
  state!: ProjectionOverview['state'];
  @ApiProperty({ type: 'integer', minimum: 0 }) checkpoint!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) eventsApplied!: number;
  @ApiProperty({ type: 'number', minimum: 0 }) eventsPerSecond!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) headPosition!: number;
  @ApiProperty({ type: LagResponse }) lag!: LagResponse;
  @ApiProperty({ type: ProjectionErrorsResponse }) errors!: ProjectionErrorsResponse;
  @ApiProperty({ type: RebuildResponse, nullable: true, description: 'The next version being built' })
  rebuild!: RebuildResponse | null;
}

class PartitionLagResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) position!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) events!: number;
  @ApiProperty({ type: 'number', minimum: 0 }) seconds!: number;
}

class TransportOverviewResponse implements TransportOverview {
  @ApiProperty({ enum: ['direct', 'kafka'] }) kind!: TransportOverview['kind'];
  @ApiProperty({ type: [PartitionLagResponse], description: 'Per Kafka partition; empty on direct' })
  partitions!: TransportOverview['partitions'];
}

export class ProjectionsOverviewResponse {
  @ApiProperty({ type: [ProjectionOverviewResponse] }) projections!: ProjectionOverviewResponse[];
  @ApiProperty({ type: TransportOverviewResponse }) transport!: TransportOverviewResponse;
}
