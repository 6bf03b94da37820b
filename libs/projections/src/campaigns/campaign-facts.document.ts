import type { CampaignAction } from '@crm/domain';
import type { IsoInstant } from '../shared/instant';

/** Where a fact sits in the customer's history: occurredAt, ties by log position. */
export type CampaignFactRef = {
  readonly at: IsoInstant;
  readonly position: number;
};

export type CampaignInteractionFact = CampaignFactRef & {
  readonly campaignId: string;
  readonly action: CampaignAction;
};

/** A purchase (one per distinct orderId, the first recorded wins) or a refund, in minor units. */
export type CampaignMoneyFact = CampaignFactRef & {
  readonly orderId: string;
  readonly amount: number;
};

/** The latest ConsentChanged of one purpose. */
export type CampaignConsentFact = CampaignFactRef & {
  readonly purpose: string;
  readonly granted: boolean;
};

/**
 * One customer's campaign facts (collection `campaign_customers`): every
 * campaign interaction, purchase and refund in history order, so that
 * attribution is recomputed from them whatever order they arrived in, plus
 * what an audience export checks per customer without folding the stream:
 * the latest consent per purpose, the erased flag and the last touch.
 */
export type CampaignCustomerDocument = {
  readonly id: string;
  readonly position: number;
  readonly erased: boolean;
  /**
   * The log position of the last merge this customer survived (0 for none):
   * a merge brings facts logged before it, so the member documents it
   * changes are stamped with it (see membersOf). A ref like the facts', so
   * that documents of the same facts compare equal positions aside.
   */
  readonly lastMerge: { readonly position: number };
  /** The latest touchpoint's occurredAt (the journey's lastTouchAt); null without one. */
  readonly lastTouchAt: IsoInstant | null;
  /** One per purpose, sorted by purpose. */
  readonly consents: readonly CampaignConsentFact[];
  readonly interactions: readonly CampaignInteractionFact[];
  readonly purchases: readonly CampaignMoneyFact[];
  readonly refunds: readonly CampaignMoneyFact[];
};

/** An attributed purchase or a refund of one, as a campaign member keeps it (no position: it is derived). */
export type AttributedAmount = {
  readonly orderId: string;
  readonly at: IsoInstant;
  readonly amount: number;
};

/**
 * One customer's share of one campaign (collection `campaign_members`, id
 * `<campaignId>|<customerId>`, indexed by campaignId): derived from the
 * customer's document, rewritten when it changes. A period read of a
 * campaign reads these documents only, never the whole population.
 */
export type CampaignMemberDocument = {
  readonly id: string;
  readonly position: number;
  readonly campaignId: string;
  readonly customerId: string;
  /** Distinct occurredAt instants of each action, ascending. */
  readonly sent: readonly IsoInstant[];
  readonly opened: readonly IsoInstant[];
  readonly clicked: readonly IsoInstant[];
  readonly converted: readonly IsoInstant[];
  /** Purchases attributed to the campaign by last click, in history order. */
  readonly orders: readonly AttributedAmount[];
  /** Refunds of those orders, in history order. */
  readonly refunds: readonly AttributedAmount[];
};

export const CAMPAIGN_ACTIONS: readonly CampaignAction[] = ['sent', 'opened', 'clicked', 'converted'];

/** Customer ids never hold `|` (1-128 of letters, digits and `_.:@-`), so the last `|` splits the id. */
export function memberId(campaignId: string, customerId: string): string {
  return `${campaignId}|${customerId}`;
}
