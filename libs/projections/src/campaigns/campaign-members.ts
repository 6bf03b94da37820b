import { attributePurchases } from './campaign-attribution';
import {
  type AttributedAmount,
  type CampaignCustomerDocument,
  type CampaignMemberDocument,
  memberId,
} from './campaign-facts.document';

type MutableMember = {
  sent: string[];
  opened: string[];
  clicked: string[];
  converted: string[];
  orders: AttributedAmount[];
  refunds: AttributedAmount[];
};

/**
 * The customer's share of each campaign they interacted with, derived from
 * their facts (keyed by campaignId; one member document each). Attributed
 * purchases and their refunds go to the campaign of the purchase's last
 * click; a refund of an order no campaign was credited with goes nowhere.
 */
export function membersOf(
  doc: CampaignCustomerDocument,
  windowDays: number,
): Map<string, CampaignMemberDocument> {
  const byCampaign = new Map<string, MutableMember>();
  const memberOf = (campaignId: string): MutableMember => {
    let member = byCampaign.get(campaignId);
    if (member === undefined) {
      member = { sent: [], opened: [], clicked: [], converted: [], orders: [], refunds: [] };
      byCampaign.set(campaignId, member);
    }
    return member;
  };
  for (const fact of doc.interactions) {
    const instants = memberOf(fact.campaignId)[fact.action];
    // Facts are in history order, so equal instants are adjacent: keep each once.
    if (instants[instants.length - 1] !== fact.at) instants.push(fact.at);
  }
  const attributed = attributePurchases(doc, windowDays);
  for (const purchase of doc.purchases) {
    const campaignId = attributed.get(purchase.orderId);
    if (campaignId !== undefined)
      memberOf(campaignId).orders.push({
        orderId: purchase.orderId,
        at: purchase.at,
        amount: purchase.amount,
      });
  }
  for (const refund of doc.refunds) {
    const campaignId = attributed.get(refund.orderId);
    if (campaignId !== undefined)
      memberOf(campaignId).refunds.push({ orderId: refund.orderId, at: refund.at, amount: refund.amount });
  }
  const members = new Map<string, CampaignMemberDocument>();
  for (const [campaignId, member] of byCampaign) {
    members.set(campaignId, {
      id: memberId(campaignId, doc.id),
      position: doc.position,
      campaignId,
      customerId: doc.id,
      ...member,
    });
  }
  return members;
}

/** Whether two member documents of one campaign and customer say the same (positions aside). */
export function sameMember(a: CampaignMemberDocument, b: CampaignMemberDocument): boolean {
  return JSON.stringify({ ...a, position: 0 }) === JSON.stringify({ ...b, position: 0 });
}
