import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class StoredEventView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() version!: number;
  @ApiProperty() streamRevision!: number;
  @ApiProperty() globalPosition!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
}

export class CustomerEventsResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ description: 'Revision of the last event in the stream' }) streamRevision!: number;
  @ApiProperty({ type: [StoredEventView] }) events!: StoredEventView[];
  @ApiPropertyOptional({
    description: 'Pass as fromRevision for the next page; absent on the last page',
    nullable: true,
  })
  nextRevision!: number | null;
}
