import { ApiProperty } from '@nestjs/swagger';
import type { RecordOutcome, RecordedRef } from '../customers/customer-repository';

/** What a client gets back for a recorded event, the same on an idempotent replay. */
export class RecordedEventResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ description: 'Revision of the customer stream this event produced (0-based)' })
  streamRevision!: number;
  @ApiProperty({ description: 'Position of the event in the global log' }) globalPosition!: number;

  static from(customerId: string, ref: RecordedRef): RecordedEventResponse {
    return {
      customerId,
      eventId: ref.eventId,
      type: ref.type,
      streamRevision: ref.revision,
      globalPosition: ref.position,
    };
  }
}

export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

export function onlyRef(outcome: RecordOutcome): RecordedRef {
  const ref = outcome.events[0];
  if (!ref) throw new Error('An append of one event returned no reference');
  return ref;
}
