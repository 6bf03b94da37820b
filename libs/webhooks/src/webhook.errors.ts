import { DomainError } from '@crm/domain';
import { RequestValidationError } from '@crm/platform';

export function webhookNotFound(id: string): DomainError {
  return new DomainError('WEBHOOK.NOT_FOUND', 'not_found', `No webhook subscription ${id}`);
}

export function deliveryNotFound(subscriptionId: string, eventId: string): DomainError {
  return new DomainError(
    'WEBHOOK.DELIVERY_NOT_FOUND',
    'not_found',
    `Webhook ${subscriptionId} has no pending or skipped delivery of event ${eventId}`,
  );
}

export function deliveryNotParked(subscriptionId: string, eventId: string, status: string): DomainError {
  const why =
    status === 'held'
      ? 'it waits behind a parked delivery of the same customer: retry or skip that one'
      : `it is ${status}`;
  return new DomainError(
    'WEBHOOK.DELIVERY_NOT_PARKED',
    'conflict',
    `Delivery of event ${eventId} to webhook ${subscriptionId} is not parked: ${why}`,
  );
}

export function invalidTarget(problem: string): RequestValidationError {
  return new RequestValidationError([{ field: 'url', code: 'webhookTarget', message: `url ${problem}` }]);
}
