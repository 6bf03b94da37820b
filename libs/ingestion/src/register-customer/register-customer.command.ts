import { Command } from '@nestjs/cqrs';
import type { CustomerRegistered } from '@crm/domain';
import type { RecordOutcome } from '../customers/customer-repository';
import type { RecordingOptions } from '../shared/recording-options';

export class RegisterCustomerCommand extends Command<RecordOutcome> {
  constructor(
    readonly event: CustomerRegistered,
    readonly options: RecordingOptions = {},
  ) {
    super();
  }
}
