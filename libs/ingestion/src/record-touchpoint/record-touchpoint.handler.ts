import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerRepository, type RecordOutcome } from '../customers/customer-repository';
import { RecordTouchpointCommand } from './record-touchpoint.command';
import { recordingOptions } from '../shared/recording-options';

@CommandHandler(RecordTouchpointCommand)
export class RecordTouchpointHandler implements ICommandHandler<RecordTouchpointCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  execute({ customerId, request }: RecordTouchpointCommand): Promise<RecordOutcome> {
    return this.customers.record(
      customerId,
      [{ type: 'RecordTouchpoint', event: request.event }],
      recordingOptions(request, request.expectedRevision),
    );
  }
}
