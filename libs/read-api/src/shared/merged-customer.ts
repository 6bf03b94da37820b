import { DomainError, mergedInto } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import { type CustomerProfiles, type CustomerProfileState, mergedIntoOf } from '@crm/projections';

/**
 * The current profile of a customer that exists and was not merged away.
 * A merged customer lives on as the survivor: every read of its id answers
 * 409 CUSTOMER.MERGED with the survivor in `details[0].value`, as commands
 * do, so a client follows one pointer whatever it asked (docs/errors.md).
 */
export async function liveProfile(
  profiles: Pick<CustomerProfiles, 'get'>,
  customerId: string,
): Promise<CustomerProfileState> {
  const profile = await profiles.get(customerId);
  if (profile === null) throw notFound(customerId);
  if (profile.mergedInto !== null) throw mergedInto(customerId, profile.mergedInto);
  return profile;
}

/**
 * Why a read model has no document for a customer: merged into another
 * (409 CUSTOMER.MERGED naming the survivor) or unknown (404).
 */
export async function missingCustomer(
  events: Pick<EventStore, 'readStream'>,
  customerId: string,
): Promise<DomainError> {
  const survivor = await mergedIntoOf(events, customerId);
  return survivor === null ? notFound(customerId) : mergedInto(customerId, survivor);
}

function notFound(customerId: string): DomainError {
  return new DomainError('CUSTOMER.NOT_FOUND', 'not_found', `No customer ${customerId}`);
}
