import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEvent } from '@crm/event-store';

export type StreamInspection = {
  readonly streamId: string;
  /** Revision of the stream's last event. */
  readonly revision: number;
  readonly firstRecordedAt: string;
  readonly lastRecordedAt: string;
  readonly events: readonly RecordedEvent[];
  /** fromRevision of the next page; null on the last one. */
  readonly nextRevision: number | null;
};

class InspectedEventResponse {
  @ApiProperty({ type: 'integer', minimum: 0 }) position!: number;
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) revision!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: object;
}

/** A page of any stream of the log, whole events included. */
export class StreamInspectionResponse implements StreamInspection {
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: "Revision of the stream's last event" })
  revision!: number;
  @ApiProperty({ format: 'date-time' }) firstRecordedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastRecordedAt!: string;
  @ApiProperty({ type: [InspectedEventResponse] }) events!: readonly RecordedEvent[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'fromRevision of the next page' })
  nextRevision!: number | null;
}
