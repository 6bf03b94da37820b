import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type RecordOutcome } from '../customers/customer-repository';
import { UpdateCustomerProfileCommand } from './update-customer-profile.command';

@CommandHandler(UpdateCustomerProfileCommand)
export class UpdateCustomerProfileHandler implements ICommandHandler<UpdateCustomerProfileCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ customerId, event, options }: UpdateCustomerProfileCommand): Promise<RecordOutcome> {
    return this.customers.record(customerId, [{ type: 'UpdateCustomerProfile', event }], options);
  }
}
