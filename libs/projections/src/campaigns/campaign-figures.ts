import { compareInstants, type IsoInstant } from '../shared/instant';
import type { AttributedAmount, CampaignMemberDocument } from './campaign-facts.document';

/** What is counted of a campaign: distinct customers per action and net attributed revenue (minor units). */
export type CampaignCounts = {
  readonly sent: number;
  readonly opened: number;
  readonly clicked: number;
  readonly converted: number;
  readonly attributedRevenue: number;
};

export type CampaignRates = {
  readonly openRate: number | null;
  readonly clickRate: number | null;
  readonly clickToOpen: number | null;
  readonly conversionRate: number | null;
};

export type CampaignFigures = CampaignCounts & CampaignRates;

/** `from` inclusive, `to` exclusive, canonical instants; null: unbounded on that side. */
export type CampaignPeriod = {
  readonly from: IsoInstant | null;
  readonly to: IsoInstant | null;
};

export const ALL_TIME: CampaignPeriod = { from: null, to: null };

export const NO_COUNTS: CampaignCounts = {
  sent: 0,
  opened: 0,
  clicked: 0,
  converted: 0,
  attributedRevenue: 0,
};

function inPeriod(at: IsoInstant, period: CampaignPeriod): boolean {
  return (
    (period.from === null || compareInstants(at, period.from) >= 0) &&
    (period.to === null || compareInstants(at, period.to) < 0)
  );
}

function sumIn(amounts: readonly AttributedAmount[], period: CampaignPeriod): number {
  let total = 0;
  for (const amount of amounts) if (inPeriod(amount.at, period)) total += amount.amount;
  return total;
}

/**
 * One member's contribution: 1 per action with an interaction in the
 * period; attributed purchases in the period minus refunds in the period of
 * attributed orders (a refund of an earlier order reduces this period, as
 * KPI revenue does, C22).
 */
export function memberCounts(
  member: CampaignMemberDocument,
  period: CampaignPeriod = ALL_TIME,
): CampaignCounts {
  const any = (instants: readonly IsoInstant[]): number =>
    instants.some((at) => inPeriod(at, period)) ? 1 : 0;
  return {
    sent: any(member.sent),
    opened: any(member.opened),
    clicked: any(member.clicked),
    converted: any(member.converted),
    attributedRevenue: sumIn(member.orders, period) - sumIn(member.refunds, period),
  };
}

/** A running total a period read adds its members into, without a new object per member. */
export type CountsAccumulator = { -readonly [K in keyof CampaignCounts]: CampaignCounts[K] };

/** memberCounts(member, period) added into `into`. */
export function addMemberCounts(
  into: CountsAccumulator,
  member: CampaignMemberDocument,
  period: CampaignPeriod,
): void {
  const any = (instants: readonly IsoInstant[]): number => {
    for (const at of instants) if (inPeriod(at, period)) return 1;
    return 0;
  };
  into.sent += any(member.sent);
  into.opened += any(member.opened);
  into.clicked += any(member.clicked);
  into.converted += any(member.converted);
  into.attributedRevenue += sumIn(member.orders, period) - sumIn(member.refunds, period);
}

export function addCounts(a: CampaignCounts, b: CampaignCounts): CampaignCounts {
  return {
    sent: a.sent + b.sent,
    opened: a.opened + b.opened,
    clicked: a.clicked + b.clicked,
    converted: a.converted + b.converted,
    attributedRevenue: a.attributedRevenue + b.attributedRevenue,
  };
}

/** A ratio with an empty denominator is null, never 0 or NaN (C20). */
function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** openRate = opened/sent, clickRate = clicked/sent, clickToOpen = clicked/opened, conversionRate = converted/sent. */
export function campaignRates(counts: CampaignCounts): CampaignRates {
  return {
    openRate: ratio(counts.opened, counts.sent),
    clickRate: ratio(counts.clicked, counts.sent),
    clickToOpen: ratio(counts.clicked, counts.opened),
    conversionRate: ratio(counts.converted, counts.sent),
  };
}

export function campaignFigures(counts: CampaignCounts): CampaignFigures {
  return { ...counts, ...campaignRates(counts) };
}
