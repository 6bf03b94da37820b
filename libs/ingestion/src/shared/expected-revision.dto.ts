import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '@crm/platform';
import { EventEnvelopeDto } from './event-envelope.dto';

/** An event envelope with optimistic concurrency, for the routes that record on one customer's stream. */
export class GuardedEventEnvelopeDto extends EventEnvelopeDto {
  @ApiPropertyOptional({
    description:
      'Optimistic concurrency: the stream revision you last saw; a mismatch is 409 and nothing is written',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedRevision?: number;
}

/** Body keys that steer the request and are not part of the event's data. */
export const GUARDED_ENVELOPE_KEYS = ['eventId', 'occurredAt', 'expectedRevision'] as const;
