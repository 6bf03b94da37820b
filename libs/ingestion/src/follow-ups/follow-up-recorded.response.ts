import { ApiProperty } from '@nestjs/swagger';
import type { RecordedRef } from '../customers/customer-repository';
import { RecordedEventResponse } from '../shared/recorded-event.response';

/** What every write answers, plus the follow-up it was about (the generated id when the request had none). */
export class FollowUpRecordedResponse extends RecordedEventResponse {
  @ApiProperty({ description: 'The follow-up; when scheduled without one, the eventId' })
  followUpId!: string;

  static of(customerId: string, followUpId: string, ref: RecordedRef): FollowUpRecordedResponse {
    return { ...RecordedEventResponse.from(customerId, ref), followUpId };
  }
}
