import { Command } from '@nestjs/cqrs';
import type { ConsentChanged } from '@crm/domain';
import type { RecordOutcome } from '../customers/customer-repository';
import type { RecordingOptions } from '../shared/recording-options';

export class ChangeConsentCommand extends Command<RecordOutcome> {
  constructor(
    readonly customerId: string,
    readonly event: ConsentChanged,
    readonly options: RecordingOptions,
  ) {
    super();
  }
}
