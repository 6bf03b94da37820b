import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type RecordOutcome } from '../customers/customer-repository';
import { RegisterCustomerCommand } from './register-customer.command';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ event, options }: RegisterCustomerCommand): Promise<RecordOutcome> {
    return this.customers.record(event.data.customerId, [{ type: 'RegisterCustomer', event }], options);
  }
}
