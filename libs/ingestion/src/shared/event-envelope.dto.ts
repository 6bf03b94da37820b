import { IsString, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable } from '@crm/platform';

/** Identity and time of any event a client records. */
export class EventEnvelopeDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Idempotency key: sending it again returns the original result',
  })
  @IsOmittable()
  @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When it happened: RFC 3339 with offset, at most milliseconds (2024-05-01T10:00:00.123+02:00); defaults to now; may be in the past',
  })
  @IsOmittable()
  @IsString()
  occurredAt?: string;
}
