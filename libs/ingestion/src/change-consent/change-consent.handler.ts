import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type RecordOutcome } from '../customers/customer-repository';
import { ChangeConsentCommand } from './change-consent.command';

@CommandHandler(ChangeConsentCommand)
export class ChangeConsentHandler implements ICommandHandler<ChangeConsentCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ customerId, event, options }: ChangeConsentCommand): Promise<RecordOutcome> {
    return this.customers.record(customerId, [{ type: 'ChangeConsent', event }], options);
  }
}
