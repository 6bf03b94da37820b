import { customerStreamId, toCrmEvent } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import { type CustomerProfileState, evolveCustomerProfile } from './customer-profile.fold';

/** Events per read of a stream. */
const PAGE = 1_000;

/**
 * Current profiles, folded from each customer's stream at read time. The
 * read models keep no personal values (docs/privacy.md): a name, an email or
 * a phone number is only ever in the event store, encrypted, so reading one
 * means reading the stream through the decrypting store.
 */
export class CustomerProfiles {
  constructor(private readonly events: Pick<EventStore, 'readStream'>) {}

  /** Null when the customer was never registered. */
  async get(customerId: string): Promise<CustomerProfileState | null> {
    const streamId = customerStreamId(customerId);
    let state: CustomerProfileState | null = null;
    for (let fromRevision = 0; ; fromRevision += PAGE) {
      const page = await this.events.readStream(streamId, { fromRevision, limit: PAGE });
      for (const recorded of page) state = evolveCustomerProfile(state, toCrmEvent(recorded));
      if (page.length < PAGE) return state;
    }
  }

  /** Several at once, in the order asked; absent ones are left out. */
  async getMany(customerIds: readonly string[]): Promise<Map<string, CustomerProfileState>> {
    const found = new Map<string, CustomerProfileState>();
    for (const customerId of customerIds) {
      const state = await this.get(customerId);
      if (state !== null) found.set(customerId, state);
    }
    return found;
  }
}
