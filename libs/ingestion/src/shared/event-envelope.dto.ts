import { IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** Identity and time of any event a client records. */
export class EventEnvelopeDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Idempotency key: sending it again returns the original result',
  })
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When it happened (ISO-8601 with offset); defaults to now; may be in the past',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  occurredAt?: string;
}
