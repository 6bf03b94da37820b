import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';

/** POST /customers/:id/follow-ups/:followUpId/cancel (FollowUpCancelled): the envelope only. */
export class CancelFollowUpDto extends GuardedEventEnvelopeDto {}
