import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type MergeOutcome } from '../customers/customer-repository';
import { MergeCustomersCommand } from './merge-customers.command';

@CommandHandler(MergeCustomersCommand)
export class MergeCustomersHandler implements ICommandHandler<MergeCustomersCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ sides, options }: MergeCustomersCommand): Promise<MergeOutcome> {
    return this.customers.merge(sides, options);
  }
}
