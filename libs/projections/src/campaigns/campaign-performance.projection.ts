import type { StoredDocument, Write } from '@crm/read-store';
import { changeWrites, type DocumentChange, foldChanges, type Projection } from '../runner/projection';
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from './campaign-attribution';
import { CAMPAIGN_TOTALS_COLLECTION, CampaignTally } from './campaign-counters';
import type { CampaignCustomerDocument, CampaignMemberDocument } from './campaign-facts.document';
import { memberCounts } from './campaign-figures';
import { foldCampaignFacts } from './campaign-facts.fold';
import { membersOf, sameCounts, sameMember } from './campaign-members';

export const CAMPAIGN_CUSTOMERS_COLLECTION = 'campaign_customers';
export const CAMPAIGN_MEMBERS_COLLECTION = 'campaign_members';
export const CAMPAIGN_PERFORMANCE_PROJECTION = 'campaign-performance';

type Doc<T> = T & StoredDocument;

/**
 * The writes that follow from one customer document's change: the member
 * documents that changed (put), those that went (deleted at the change's
 * position), and the all-time counters moved from the stored members to
 * the new ones.
 */
export function memberWrites(
  change: DocumentChange<CampaignCustomerDocument>,
  windowDays: number,
  tally: CampaignTally,
): Write[] {
  const none = new Map<string, CampaignMemberDocument>();
  const before = change.before === null ? none : membersOf(change.before, windowDays);
  const after = change.after === null ? none : membersOf(change.after, windowDays);
  const writes: Write[] = [];
  for (const [campaignId, member] of after) {
    const stored = before.get(campaignId);
    if (stored !== undefined && sameMember(stored, member)) continue;
    writes.push({ kind: 'put', collection: CAMPAIGN_MEMBERS_COLLECTION, document: member });
    if (stored !== undefined && sameCounts(stored, member)) continue;
    tally.count(campaignId, memberCounts(member), 1);
    if (stored !== undefined) tally.count(campaignId, memberCounts(stored), -1);
  }
  for (const [campaignId, stored] of before) {
    if (after.has(campaignId)) continue;
    writes.push({
      kind: 'delete',
      collection: CAMPAIGN_MEMBERS_COLLECTION,
      id: stored.id,
      position: change.position,
    });
    tally.count(campaignId, memberCounts(stored), -1);
  }
  return writes;
}

/**
 * Campaign performance (docs/projections.md, "Campaign performance"): one
 * facts document per customer (campaign_customers), from which each
 * customer's share of every campaign they touched is derived into
 * campaign_members (indexed by campaignId: a period read of one campaign
 * reads its members only) and added into one all-time counter set per
 * campaign (campaign_totals: the list of campaigns reads counters only).
 * Attribution depends on the window, so the documents hold the window they
 * were made with: changing it takes a rebuild of this projection.
 */
export function campaignPerformanceProjectionFor(
  attributionWindowDays: number = DEFAULT_ATTRIBUTION_WINDOW_DAYS,
): Projection {
  return {
    name: CAMPAIGN_PERFORMANCE_PROJECTION,
    perCustomer: true,
    collections: [
      { name: CAMPAIGN_CUSTOMERS_COLLECTION, indexes: [] },
      { name: CAMPAIGN_MEMBERS_COLLECTION, indexes: ['campaignId'] },
      { name: CAMPAIGN_TOTALS_COLLECTION, indexes: [], kind: 'counters' },
    ],
    async project(batch, reader) {
      const changes = await foldChanges<Doc<CampaignCustomerDocument>>(
        batch,
        reader,
        CAMPAIGN_CUSTOMERS_COLLECTION,
        foldCampaignFacts,
      );
      const tally = new CampaignTally();
      const members = changes.flatMap((change) => memberWrites(change, attributionWindowDays, tally));
      return [...changeWrites(CAMPAIGN_CUSTOMERS_COLLECTION, changes), ...members, ...tally.writes()];
    },
    /**
     * Takes the stored customers' members out of the counters and deletes
     * them just above the customer's position: the rebuilt document puts
     * back only the members it still has, so none is left behind.
     */
    async retract(customerIds, reader) {
      const stored = await reader.getMany<Doc<CampaignCustomerDocument>>(
        CAMPAIGN_CUSTOMERS_COLLECTION,
        customerIds,
      );
      const tally = new CampaignTally();
      const writes = stored.flatMap((doc) =>
        memberWrites({ before: doc, after: null, position: doc.position + 1 }, attributionWindowDays, tally),
      );
      return [...writes, ...tally.writes()];
    },
  };
}

export const campaignPerformanceProjection: Projection = campaignPerformanceProjectionFor();
