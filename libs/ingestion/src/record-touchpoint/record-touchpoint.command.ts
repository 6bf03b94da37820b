import { Command } from '@nestjs/cqrs';
import type { RecordOutcome } from '../customers/customer-repository';
import type { TouchpointRequest } from './touchpoint-request.parser';

export class RecordTouchpointCommand extends Command<RecordOutcome> {
  constructor(
    readonly customerId: string,
    readonly request: TouchpointRequest,
  ) {
    super();
  }
}
