import { ApiProperty } from '@nestjs/swagger';
import type { DeadLetterDocument } from '@crm/projections';
import type { Page } from '@crm/read-store';
import { DEAD_LETTER_STATUSES } from './dead-letter-admin';

/** A dead letter: references only, never the event's data. */
export class DeadLetterResponse implements DeadLetterDocument {
  @ApiProperty({ description: '<projection>:<eventId>' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) position!: number;
  @ApiProperty() projection!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ description: 'The error message of the last attempt' }) error!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) firstFailedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastFailedAt!: string;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status!: DeadLetterDocument['status'];
  @ApiProperty({ enum: ['embedded', 'kafka'] }) source!: DeadLetterDocument['source'];
}

export class DeadLetterPageResponse implements Page<DeadLetterDocument> {
  @ApiProperty({ type: [DeadLetterResponse] }) items!: DeadLetterResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
}
