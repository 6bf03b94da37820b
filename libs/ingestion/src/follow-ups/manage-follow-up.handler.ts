import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type RecordOutcome } from '../customers/customer-repository';
import { ManageFollowUpCommand } from './manage-follow-up.command';

@CommandHandler(ManageFollowUpCommand)
export class ManageFollowUpHandler implements ICommandHandler<ManageFollowUpCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ customerId, event, options }: ManageFollowUpCommand): Promise<RecordOutcome> {
    return this.customers.record(customerId, [{ type: 'ManageFollowUp', event }], options);
  }
}
