import { customerStreamId, toCrmEvent } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import { epochMs, type IsoInstant } from '../shared/instant';
import {
  type CustomerProfileState,
  evolveCustomerProfile,
  PROFILE_EVENT_TYPES,
} from './customer-profile.fold';

/** Events per read of a stream. */
const PAGE = 1_000;

/**
 * Current profiles, folded from each customer's stream at read time. The
 * read models keep no personal values (docs/privacy.md): a name, an email or
 * a phone number is only ever in the event store, encrypted, so reading one
 * means reading the stream through the decrypting store. Only the events
 * that change a profile are read (and decrypted): a customer with thousands
 * of touchpoints costs a profile read a handful of events.
 */
export class CustomerProfiles {
  constructor(private readonly events: Pick<EventStore, 'readStream'>) {}

  /**
   * Null when the customer was never registered (before `occurredBefore`,
   * when given: time travel folds only the events that occurred before asOf).
   */
  async get(
    customerId: string,
    { occurredBefore }: { readonly occurredBefore?: IsoInstant } = {},
  ): Promise<CustomerProfileState | null> {
    const streamId = customerStreamId(customerId);
    const before = occurredBefore === undefined ? undefined : epochMs(occurredBefore);
    let state: CustomerProfileState | null = null;
    for (let fromRevision = 0; ;) {
      const page = await this.events.readStream(streamId, {
        fromRevision,
        limit: PAGE,
        types: PROFILE_EVENT_TYPES,
      });
      for (const recorded of page) {
        const event = toCrmEvent(recorded);
        if (before !== undefined && epochMs(event.occurredAt) >= before) continue;
        state = evolveCustomerProfile(state, event);
      }
      const last = page.at(-1);
      if (page.length < PAGE || last === undefined) return state;
      fromRevision = last.revision + 1;
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
