import type { IncrementWrite } from '@crm/read-store';
import type { CampaignCounts } from './campaign-figures';

/** All-time counter sets, one per campaign: what GET /campaigns lists and sorts without reading a customer. */
export const CAMPAIGN_TOTALS_COLLECTION = 'campaign_totals';

const SET_PREFIX = 'c:';

/** The counter set of a campaign. */
export function campaignSetId(campaignId: string): string {
  return `${SET_PREFIX}${campaignId}`;
}

/** Every campaign's set lies in this id range (`;` follows `:`). */
export const CAMPAIGN_SET_RANGE = { from: SET_PREFIX, to: 'c;' } as const;

export function campaignIdOfSet(setId: string): string {
  return setId.slice(SET_PREFIX.length);
}

const COUNTER_NAMES = ['sent', 'opened', 'clicked', 'converted', 'attributedRevenue'] as const;

/** Reads a set's counters back (a counter that is 0 may be absent). */
export function countsOfSet(counters: ReadonlyMap<string, number>): CampaignCounts {
  const read = (name: (typeof COUNTER_NAMES)[number]): number => counters.get(name) ?? 0;
  return {
    sent: read('sent'),
    opened: read('opened'),
    clicked: read('clicked'),
    converted: read('converted'),
    attributedRevenue: read('attributedRevenue'),
  };
}

/**
 * The increments of a unit, per campaign: each member document's all-time
 * counts added (+1) for the new version and taken out (−1) for the stored
 * one, so a replayed batch (documents already changed) adds nothing.
 */
export class CampaignTally {
  private readonly sets = new Map<string, Map<string, number>>();

  count(campaignId: string, counts: CampaignCounts, sign: 1 | -1): void {
    let set = this.sets.get(campaignId);
    if (set === undefined) {
      set = new Map();
      this.sets.set(campaignId, set);
    }
    for (const name of COUNTER_NAMES) {
      const delta = counts[name] * sign;
      if (delta !== 0) set.set(name, (set.get(name) ?? 0) + delta);
    }
  }

  writes(): IncrementWrite[] {
    const writes: IncrementWrite[] = [];
    for (const [campaignId, counters] of this.sets) {
      for (const [name, delta] of counters) if (delta === 0) counters.delete(name);
      if (counters.size > 0)
        writes.push({
          kind: 'increment',
          collection: CAMPAIGN_TOTALS_COLLECTION,
          id: campaignSetId(campaignId),
          counters,
        });
    }
    return writes;
  }
}
