import { Command } from '@nestjs/cqrs';
import type { CustomerProfileUpdated } from '@crm/domain';
import type { RecordOutcome } from '../customers/customer-repository';
import type { RecordingOptions } from '../shared/recording-options';

export class UpdateCustomerProfileCommand extends Command<RecordOutcome> {
  constructor(
    readonly customerId: string,
    readonly event: CustomerProfileUpdated,
    readonly options: RecordingOptions,
  ) {
    super();
  }
}
