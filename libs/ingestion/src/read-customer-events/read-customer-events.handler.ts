import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { customerStreamId, DomainError } from '@crm/domain';
import { CustomerRepository } from '../customers/customer-repository';
import type { CustomerEventsResponse } from './customer-events.response';
import { ReadCustomerEventsQuery } from './read-customer-events.query';

@QueryHandler(ReadCustomerEventsQuery)
export class ReadCustomerEventsHandler implements IQueryHandler<ReadCustomerEventsQuery> {
  constructor(private readonly customers: CustomerRepository) {}

  async execute({
    customerId,
    fromRevision,
    limit,
  }: ReadCustomerEventsQuery): Promise<CustomerEventsResponse> {
    const streamRevision = await this.customers.streamRevision(customerId);
    if (streamRevision === null) {
      throw new DomainError('CUSTOMER.NOT_FOUND', 'not_found', `No customer ${customerId}`);
    }
    const recorded = await this.customers.readStream(customerId, fromRevision, limit);
    const last = recorded[recorded.length - 1];
    return {
      customerId,
      streamId: customerStreamId(customerId),
      streamRevision,
      events: recorded.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        version: event.version,
        streamRevision: event.revision,
        globalPosition: event.position,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        data: { ...event.data },
        metadata: { ...event.metadata },
      })),
      nextRevision: last && last.revision < streamRevision ? last.revision + 1 : null,
    };
  }
}
