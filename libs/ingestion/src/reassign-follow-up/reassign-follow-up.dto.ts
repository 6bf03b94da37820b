import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IsAssignee } from '../follow-ups/follow-up.dto-fields';

/** POST /customers/:id/follow-ups/:followUpId/reassign (FollowUpReassigned). */
export class ReassignFollowUpDto extends GuardedEventEnvelopeDto {
  @IsAssignee()
  assignee!: string;
}
