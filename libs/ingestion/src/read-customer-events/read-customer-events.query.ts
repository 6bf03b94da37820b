import { Query } from '@nestjs/cqrs';
import type { CustomerEventsResponse } from './customer-events.response';

export class ReadCustomerEventsQuery extends Query<CustomerEventsResponse> {
  constructor(
    readonly customerId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}
