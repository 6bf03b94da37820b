import { Command } from '@nestjs/cqrs';
import type { CustomerRegistered } from '@crm/domain';
import type { RecordOutcome } from '../customers/customer-repository';

export class RegisterCustomerCommand extends Command<RecordOutcome> {
  constructor(readonly event: CustomerRegistered) {
    super();
  }
}
