import { mergedInto } from '@crm/domain';
import type { CustomerProfileState } from '@crm/projections';

/**
 * A merged customer lives on as the survivor: every live read of its id
 * answers 409 CUSTOMER.MERGED with the survivor in `details[0].value`, as
 * commands do, so a client follows one pointer whatever it asked
 * (docs/errors.md). Time travel before the merge still reads the customer.
 */
export function assertNotMerged(profile: CustomerProfileState): void {
  if (profile.mergedInto !== null) throw mergedInto(profile.customerId, profile.mergedInto);
}
