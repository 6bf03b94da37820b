import { InvalidCursorError, MAX_LIMIT, type ReadStore, type StoredDocument } from '@crm/read-store';
import {
  ALL_TIME,
  addMemberCounts,
  CAMPAIGN_CUSTOMERS_COLLECTION,
  CAMPAIGN_MEMBERS_COLLECTION,
  CAMPAIGN_SET_RANGE,
  CAMPAIGN_TOTALS_COLLECTION,
  campaignFigures,
  type CampaignCustomerDocument,
  type CampaignFigures,
  campaignIdOfSet,
  type CampaignMemberDocument,
  type CampaignPeriod,
  campaignSetId,
  countsOfSet,
  type CountsAccumulator,
  NO_COUNTS,
} from '../campaigns';

export const CAMPAIGN_SORTS = ['sent', 'conversionRate', 'attributedRevenue'] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];
export const SORT_ORDERS = ['desc', 'asc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export type CampaignSummary = CampaignFigures & { readonly campaignId: string };

export type CampaignListQuery = {
  /** Default `sent`. */
  readonly sort?: CampaignSort;
  /** Default `desc`. */
  readonly order?: SortOrder;
  /** 1…MAX_LIMIT; default 100. */
  readonly limit?: number;
  /** `nextCursor` of the previous page, with the same sort and order. */
  readonly cursor?: string;
};

export type CampaignPage = { readonly items: CampaignSummary[]; readonly nextCursor: string | null };

/** What an audience export checks per customer, kept by the campaign projection. */
export type AudienceFacts = Pick<CampaignCustomerDocument, 'erased' | 'consents' | 'lastTouchAt'>;

type Member = CampaignMemberDocument & StoredDocument;
type Customer = CampaignCustomerDocument & StoredDocument;

/**
 * Campaign performance reads (docs/projections.md, "Campaign performance"):
 * the list and all-time figures from the per-campaign counter sets, a
 * period's figures from the campaign's member documents only.
 */
export class CampaignQueries {
  constructor(private readonly store: ReadStore) {}

  /** Every campaign ever seen, sorted and paged in memory: one read of the counter sets. */
  async list(query: CampaignListQuery = {}): Promise<CampaignPage> {
    const sort = query.sort ?? 'sent';
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new RangeError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    const sets = await this.store.rangeCounters(CAMPAIGN_TOTALS_COLLECTION, CAMPAIGN_SET_RANGE);
    const all = sets.map((set): CampaignSummary => ({
      campaignId: campaignIdOfSet(set.id),
      ...campaignFigures(countsOfSet(set.counters)),
    }));
    const compare = comparatorOf(sort, order);
    all.sort(compare);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, sort, order);
    const start = after === null ? 0 : firstAfter(all, after, compare);
    const items = all.slice(start, start + limit);
    const last = items[items.length - 1];
    const nextCursor =
      last !== undefined && start + limit < all.length ? encodeCursor(sort, order, last) : null;
    return { items, nextCursor };
  }

  /**
   * One campaign's figures: all time from its counter set; for a period,
   * summed over its member documents (whole: they are small, and asking
   * for some fields only made the store's scan slower). Null for a
   * campaign never seen.
   */
  async get(campaignId: string, period: CampaignPeriod = ALL_TIME): Promise<CampaignFigures | null> {
    const [set] = await this.store.getCounters(CAMPAIGN_TOTALS_COLLECTION, [campaignSetId(campaignId)]);
    if (set === undefined) return null;
    if (period.from === null && period.to === null) return campaignFigures(countsOfSet(set.counters));
    const counts: CountsAccumulator = { ...NO_COUNTS };
    let cursor: string | undefined;
    do {
      const page = await this.store.find<Member>(CAMPAIGN_MEMBERS_COLLECTION, {
        filter: { campaignId },
        limit: MAX_LIMIT,
        ...(cursor !== undefined && { cursor }),
      });
      for (const member of page.items) addMemberCounts(counts, member, period);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return campaignFigures(counts);
  }

  /** The consent, erasure and last touch of these customers, for an audience page; absent ones left out. */
  async audienceFacts(customerIds: readonly string[]): Promise<Map<string, AudienceFacts>> {
    const docs = await this.store.getMany<Customer>(CAMPAIGN_CUSTOMERS_COLLECTION, customerIds, {
      fields: ['erased', 'consents', 'lastTouchAt'],
    });
    return new Map(docs.map((doc) => [doc.id, doc] as const));
  }
}

type SortKey = { readonly value: number | null; readonly campaignId: string };

function sortValue(summary: CampaignSummary, sort: CampaignSort): number | null {
  return summary[sort];
}

/**
 * As the read store sorts: null lowest (last when descending), ties by
 * campaignId in the same direction.
 */
function comparatorOf(
  sort: CampaignSort,
  order: SortOrder,
): (a: SortKey | CampaignSummary, b: SortKey | CampaignSummary) => number {
  const keyOf = (item: SortKey | CampaignSummary): SortKey =>
    'value' in item ? item : { value: sortValue(item, sort), campaignId: item.campaignId };
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    if (x.value !== y.value) {
      if (x.value === null) return -sign;
      if (y.value === null) return sign;
      return (x.value < y.value ? -1 : 1) * sign;
    }
    return (x.campaignId < y.campaignId ? -1 : x.campaignId > y.campaignId ? 1 : 0) * sign;
  };
}

/** The index of the first item sorting after the cursor's key (a keyset: campaigns may come and go between pages). */
function firstAfter(
  items: readonly CampaignSummary[],
  after: SortKey,
  compare: (a: SortKey | CampaignSummary, b: SortKey | CampaignSummary) => number,
): number {
  const index = items.findIndex((item) => compare(item, after) > 0);
  return index < 0 ? items.length : index;
}

function encodeCursor(sort: CampaignSort, order: SortOrder, last: CampaignSummary): string {
  const key = { s: sort, o: order, v: sortValue(last, sort), c: last.campaignId };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** @throws InvalidCursorError for a cursor this list did not hand out for this sort and order. */
function decodeCursor(cursor: string, sort: CampaignSort, order: SortOrder): SortKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('it is not a campaign list cursor');
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    !('s' in key && 'o' in key && 'v' in key && 'c' in key) ||
    typeof key.c !== 'string' ||
    (key.v !== null && typeof key.v !== 'number')
  )
    throw new InvalidCursorError('it is not a campaign list cursor');
  if (key.s !== sort || key.o !== order)
    throw new InvalidCursorError('it was handed out for another sort or order');
  return { value: key.v, campaignId: key.c };
}
