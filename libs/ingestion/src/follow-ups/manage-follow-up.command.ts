import { Command } from '@nestjs/cqrs';
import type { FollowUpEvent } from '@crm/domain';
import type { RecordOutcome } from '../customers/customer-repository';
import type { RecordingOptions } from '../shared/recording-options';

/** Schedule, reassign, complete or cancel one follow-up (the domain's ManageFollowUp). */
export class ManageFollowUpCommand extends Command<RecordOutcome> {
  constructor(
    readonly customerId: string,
    readonly event: FollowUpEvent,
    readonly options: RecordingOptions,
  ) {
    super();
  }
}
