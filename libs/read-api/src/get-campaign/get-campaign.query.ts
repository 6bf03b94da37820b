import { RequestValidationError } from '@crm/platform';
import type { CampaignPeriod } from '@crm/projections';
import { rejectUnknownParams } from '../shared/known-params';
import { optionalInstant } from '../shared/query-params';

export const GET_CAMPAIGN_PARAMS = ['from', 'to', 'minPosition'] as const;

/** The longest campaignId a touchpoint may carry (record-touchpoint's DTO). */
export const MAX_CAMPAIGN_ID_LENGTH = 128;

/** A campaignId from the path: what a CampaignInteraction may carry, 1-128 characters. */
export function parseCampaignId(raw: string): string {
  if (raw.length === 0 || raw.length > MAX_CAMPAIGN_ID_LENGTH || raw.trim() === '') {
    throw new RequestValidationError([
      {
        field: 'campaignId',
        code: 'length',
        message: `campaignId is 1-${MAX_CAMPAIGN_ID_LENGTH} characters, not blank`,
      },
    ]);
  }
  return raw;
}

/** GET /campaigns/:campaignId: `from` and `to` each optional (absent: unbounded), from ≤ to. */
export function parseCampaignPeriod(raw: Readonly<Record<string, unknown>>): {
  readonly period: CampaignPeriod;
  readonly minPosition: unknown;
} {
  rejectUnknownParams(raw, GET_CAMPAIGN_PARAMS);
  const from = optionalInstant('from', raw.from);
  const to = optionalInstant('to', raw.to);
  if (from !== null && to !== null && from > to)
    throw new RequestValidationError([
      { field: 'from', code: 'beforeTo', message: 'from must not be after to' },
    ]);
  return { period: { from, to }, minPosition: raw.minPosition };
}
