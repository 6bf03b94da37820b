import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IsFollowUpText } from '../follow-ups/follow-up.dto-fields';

/** POST /customers/:id/follow-ups/:followUpId/complete (FollowUpCompleted). */
export class CompleteFollowUpDto extends GuardedEventEnvelopeDto {
  @IsFollowUpText('What came of it (free text: personal data, encrypted; `[erased]` after erasure)')
  outcome!: string;
}
