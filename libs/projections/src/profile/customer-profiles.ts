import { customerStreamId, toCrmEvent } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import { LRUCache } from 'lru-cache';
import { epochMs, type IsoInstant } from '../shared/instant';
import {
  type CustomerProfileState,
  evolveCustomerProfile,
  PROFILE_EVENT_TYPES,
} from './customer-profile.fold';

/** Events per read of a stream. */
const PAGE = 1_000;

/** Current profiles kept by default (a few hundred bytes each). */
const DEFAULT_CACHED_PROFILES = 20_000;

/** A current profile and the stream revision it was folded at (or past). */
type CachedProfile = { readonly revision: number; readonly state: CustomerProfileState };

export type CustomerProfilesOptions = {
  /** Current profiles kept in memory, checked against the stream's revision on every read; 0 keeps none. */
  readonly cachedProfiles?: number;
};

/**
 * Current profiles, folded from each customer's stream at read time. The
 * read models keep no personal values (docs/privacy.md): a name, an email or
 * a phone number is only ever in the event store, encrypted, so reading one
 * means reading the stream through the decrypting store. Only the events
 * that change a profile are read (and decrypted): a customer with thousands
 * of touchpoints costs a profile read a handful of events.
 *
 * Current profiles are kept in memory by the stream revision they were read
 * at. Streams only grow, so a profile read at revision r is the profile for
 * as long as the stream's revision is r: every read asks the store for the
 * revision (an index lookup) and folds again when it moved — in any process,
 * whoever appended. An erased customer's profile is never kept: erasure
 * records CustomerErased and then shreds the key, so a profile read in
 * between still holds the values the shredding is about to make unreadable.
 */
export class CustomerProfiles {
  private readonly cache: LRUCache<string, CachedProfile> | undefined;

  constructor(
    private readonly events: Pick<EventStore, 'readStream' | 'streamRevision' | 'streamRevisions'>,
    { cachedProfiles = DEFAULT_CACHED_PROFILES }: CustomerProfilesOptions = {},
  ) {
    this.cache = cachedProfiles > 0 ? new LRUCache({ max: cachedProfiles }) : undefined;
  }

  /**
   * Null when the customer was never registered (before `occurredBefore`,
   * when given: time travel folds only the events that occurred before asOf).
   */
  async get(
    customerId: string,
    { occurredBefore }: { readonly occurredBefore?: IsoInstant } = {},
  ): Promise<CustomerProfileState | null> {
    if (occurredBefore !== undefined || this.cache === undefined)
      return this.fold(customerId, occurredBefore);
    const revision = await this.events.streamRevision(customerStreamId(customerId));
    return revision === null ? null : this.current(customerId, revision);
  }

  /**
   * Several at once, in the order asked; absent ones are left out. The
   * revisions are asked for in one read, then each stale profile is folded.
   */
  async getMany(customerIds: readonly string[]): Promise<Map<string, CustomerProfileState>> {
    const found = new Map<string, CustomerProfileState>();
    if (this.cache === undefined) {
      for (const customerId of customerIds) {
        const state = await this.fold(customerId);
        if (state !== null) found.set(customerId, state);
      }
      return found;
    }
    const revisions = await this.events.streamRevisions(customerIds.map(customerStreamId));
    for (const customerId of customerIds) {
      const revision = revisions.get(customerStreamId(customerId));
      const state = revision === undefined ? null : await this.current(customerId, revision);
      if (state !== null) found.set(customerId, state);
    }
    return found;
  }

  /** The profile at `revision` of the stream: from the cache, or folded and kept. */
  private async current(customerId: string, revision: number): Promise<CustomerProfileState | null> {
    const cached = this.cache?.get(customerId);
    if (cached?.revision === revision) return cached.state;
    const state = await this.fold(customerId);
    if (state !== null && state.erasedAt === null) this.cache?.set(customerId, { revision, state });
    else this.cache?.delete(customerId);
    return state;
  }

  private async fold(customerId: string, occurredBefore?: IsoInstant): Promise<CustomerProfileState | null> {
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
}
