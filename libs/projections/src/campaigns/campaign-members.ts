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
 *
 * A member's position is that of the latest fact it may depend on: its own
 * interactions, and every click, purchase and refund of the customer (any
 * of them can move an attribution), or the last merge. So it is a function
 * of the customer's facts alone, the same whether they were folded in log
 * order or at once (a rebuild), and it rises with every fact that can change
 * the member, so the store's position guard never drops a changed member.
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
  let shared = doc.lastMerge.position;
  for (const fact of doc.interactions)
    if (fact.action === 'clicked') shared = Math.max(shared, fact.position);
  for (const fact of doc.purchases) shared = Math.max(shared, fact.position);
  for (const fact of doc.refunds) shared = Math.max(shared, fact.position);
  const own = new Map<string, number>();
  for (const fact of doc.interactions)
    own.set(fact.campaignId, Math.max(own.get(fact.campaignId) ?? 0, fact.position));
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
      position: Math.max(shared, own.get(campaignId) ?? 0),
      campaignId,
      customerId: doc.id,
      ...member,
    });
  }
  return members;
}

/** Whether two member documents of one campaign and customer are the same, position included. */
export function sameMember(a: CampaignMemberDocument, b: CampaignMemberDocument): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether two member documents count the same (positions aside): then the counters do not move. */
export function sameCounts(a: CampaignMemberDocument, b: CampaignMemberDocument): boolean {
  return JSON.stringify({ ...a, position: 0 }) === JSON.stringify({ ...b, position: 0 });
}
