import {
  CAMPAIGN_SORTS,
  type CampaignListQuery,
  type CampaignSort,
  SORT_ORDERS,
  type SortOrder,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { rejectUnknownParams } from '../shared/known-params';
import { choiceParam, parseLimit, singleParam } from '../shared/query-params';

export const LIST_CAMPAIGNS_PARAMS = ['sort', 'order', 'limit', 'cursor', 'minPosition'] as const;

/** Validates the query string of GET /campaigns (400 VALIDATION.FAILED naming the field). */
export function parseListCampaigns(raw: Readonly<Record<string, unknown>>): {
  readonly query: CampaignListQuery;
  readonly minPosition: unknown;
} {
  rejectUnknownParams(raw, LIST_CAMPAIGNS_PARAMS);
  const cursor = singleParam('cursor', raw.cursor);
  return {
    query: {
      sort: choiceParam<CampaignSort>('sort', raw.sort, CAMPAIGN_SORTS),
      order: choiceParam<SortOrder>('order', raw.order, SORT_ORDERS),
      limit: parseLimit(raw.limit, 100, MAX_LIMIT),
      // An empty cursor is the first page, as on GET /customers.
      ...(cursor !== undefined && cursor !== '' && { cursor }),
    },
    minPosition: raw.minPosition,
  };
}
