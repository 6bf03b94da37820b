import type { OrderChannelLookup, PurchaseChannel } from '@crm/domain';
import { insertInHistoryOrder } from './fact-chronology';
import { profileAt } from './kpi-facts.as-of';
import { compareSupportCases } from './support-case.facts';
import { compareSurveyRequests } from './survey-request.facts';
import type {
  ConsentFact,
  KpiFactRef,
  KpiFactsDocument,
  ProfileChangeFact,
  PurchaseFact,
  RefundFact,
  SupportCaseFact,
  SurveyFact,
  SurveyRequestFact,
  TouchpointFact,
} from './kpi-facts.document';

/**
 * One list of a document while a fold adds to it. The document's own array
 * is copied on the first addition only, so a fold that never touches a list
 * shares it, and one that touches it copies it once however many facts it adds.
 */
class FactList<T extends KpiFactRef> {
  private copy: T[] | undefined;

  constructor(private readonly original: readonly T[]) {}

  get facts(): readonly T[] {
    return this.copy ?? this.original;
  }

  get changed(): boolean {
    return this.copy !== undefined;
  }

  add(fact: T): void {
    this.copy ??= [...this.original];
    insertInHistoryOrder(this.copy, fact);
  }
}

/**
 * A private, mutable working copy of one customer's KPI facts for the length
 * of one fold: facts go in at their place in history order, the lookups a
 * fold needs (orders, refunds awaiting their purchase, support cases) are
 * built the first time they are needed, and what is derived (the latest
 * profile, the order of cases) is derived once, in toDocument. The document
 * it starts from is never mutated. Use a draft for one fold and drop it: the
 * document it returns shares its arrays.
 */
export class KpiFactsDraft {
  private position: number;
  private readonly profileChanges: FactList<ProfileChangeFact>;
  private readonly marketingConsents: FactList<ConsentFact>;
  private readonly purchases: FactList<PurchaseFact>;
  private readonly refunds: FactList<RefundFact>;
  private readonly touchpoints: FactList<TouchpointFact>;
  private readonly surveys: FactList<SurveyFact>;
  private orderChannels: Map<string, PurchaseChannel> | undefined;
  private refundsAwaitingPurchase: Map<string, RefundFact[]> | undefined;
  private supportCases: Map<string, SupportCaseFact> | undefined;
  private surveyRequests: Map<string, SurveyRequestFact> | undefined;

  /** The channel an order was placed through, as far as this fold knows; an arrow so it can be passed on. */
  readonly orderChannel: OrderChannelLookup = (orderId) => this.orders().get(orderId);

  constructor(private readonly start: KpiFactsDocument) {
    this.position = start.position;
    this.profileChanges = new FactList(start.profileChanges);
    this.marketingConsents = new FactList(start.marketingConsents);
    this.purchases = new FactList(start.purchases);
    this.refunds = new FactList(start.refunds);
    this.touchpoints = new FactList(start.touchpoints);
    this.surveys = new FactList(start.surveys);
  }

  /** Whether the event at `position` is news to this document (not a replay or redelivery). */
  isNew(position: number): boolean {
    return position > this.position;
  }

  /** Stamps the document with the event being applied, whether or not it adds a fact. */
  advanceTo(position: number): void {
    this.position = position;
  }

  addProfileChange(change: ProfileChangeFact): void {
    this.profileChanges.add(change);
  }

  addMarketingConsent(consent: ConsentFact): void {
    this.marketingConsents.add(consent);
  }

  addSurvey(survey: SurveyFact): void {
    this.surveys.add(survey);
  }

  addTouchpoint(touchpoint: TouchpointFact): void {
    this.touchpoints.add(touchpoint);
  }

  /** Adds the purchase unless its orderId was purchased already (the first wins); false when it was. */
  addPurchase(purchase: PurchaseFact): boolean {
    const orders = this.orders();
    if (orders.has(purchase.orderId)) return false;
    // Grouped while this order still counts as unpurchased, so its own early refunds are among them.
    this.refundsAwaitingPurchase ??= this.groupUnpurchasedRefunds();
    orders.set(purchase.orderId, purchase.channel);
    this.purchases.add(purchase);
    return true;
  }

  addRefund(refund: RefundFact): void {
    this.refunds.add(refund);
    // Until a purchase needs the groups, they are built from the list later, this refund included.
    if (this.refundsAwaitingPurchase !== undefined && !this.orders().has(refund.orderId))
      appendTo(this.refundsAwaitingPurchase, refund.orderId, refund);
  }

  /** After addPurchase: the refunds of that order folded before it, each handed out once. */
  takeRefundsAwaitingPurchase(orderId: string): readonly RefundFact[] {
    const awaiting = this.refundsAwaitingPurchase?.get(orderId) ?? [];
    this.refundsAwaitingPurchase?.delete(orderId);
    return awaiting;
  }

  /** Replaces a support case (or creates it) with what `update` makes of it. */
  updateSupportCase(caseId: string, update: (current: SupportCaseFact) => SupportCaseFact): void {
    this.supportCases ??= firstOfEachCase(this.start.supportCases);
    this.supportCases.set(caseId, update(this.supportCases.get(caseId) ?? { caseId }));
  }

  /** Replaces a survey request (or creates it) with what `update` makes of it. */
  updateSurveyRequest(requestId: string, update: (current: SurveyRequestFact) => SurveyRequestFact): void {
    this.surveyRequests ??= firstOfEachRequest(this.start.surveyRequests ?? []);
    this.surveyRequests.set(requestId, update(this.surveyRequests.get(requestId) ?? { requestId }));
  }

  toDocument(): KpiFactsDocument {
    const { start } = this;
    const { profile, segment } = this.latestProfile();
    // Written out rather than `{ ...start, changes }`: V8 spreads a document that was itself built by a
    // spread on its slow path, which measured several µs, more than folding the events.
    const document: KpiFactsDocument = {
      id: start.id,
      position: this.position,
      registeredAt: start.registeredAt,
      kind: start.kind,
      segment,
      profile,
      profileChanges: this.profileChanges.facts,
      marketingConsents: this.marketingConsents.facts,
      purchases: this.purchases.facts,
      refunds: this.refunds.facts,
      touchpoints: this.touchpoints.facts,
      surveys: this.surveys.facts,
      supportCases: this.orderedSupportCases(),
      surveyRequests: this.orderedSurveyRequests(),
    };
    // A stored document with keys of its own keeps them, as a spread would.
    return Object.keys(start).length === DOCUMENT_KEY_COUNT ? document : { ...start, ...document };
  }

  /** Derived once per fold, and only when a profile statement was added. */
  private latestProfile(): Pick<KpiFactsDocument, 'profile' | 'segment'> {
    if (!this.profileChanges.changed) return { profile: this.start.profile, segment: this.start.segment };
    const latest = profileAt(this.profileChanges.facts, Number.POSITIVE_INFINITY);
    const { name, email, phone, segment } = latest;
    return { profile: { name, email, phone, segment: segment !== null }, segment };
  }

  /** Sorted once per fold rather than after every milestone; untouched cases keep the document's list. */
  private orderedSupportCases(): readonly SupportCaseFact[] {
    if (this.supportCases === undefined) return this.start.supportCases;
    return [...this.supportCases.values()].sort(compareSupportCases);
  }

  /** As the cases: sorted once per fold. A document from before layout 5 gains the (empty) list. */
  private orderedSurveyRequests(): readonly SurveyRequestFact[] {
    if (this.surveyRequests === undefined) return this.start.surveyRequests ?? [];
    return [...this.surveyRequests.values()].sort(compareSurveyRequests);
  }

  private orders(): Map<string, PurchaseChannel> {
    this.orderChannels ??= firstChannelOfEachOrder(this.purchases.facts);
    return this.orderChannels;
  }

  private groupUnpurchasedRefunds(): Map<string, RefundFact[]> {
    const orders = this.orders();
    const awaiting = new Map<string, RefundFact[]>();
    for (const refund of this.refunds.facts)
      if (!orders.has(refund.orderId)) appendTo(awaiting, refund.orderId, refund);
    return awaiting;
  }
}

/** Every key of a KpiFactsDocument (the type checker keeps this list complete). */
const DOCUMENT_KEYS: Record<keyof KpiFactsDocument, true> = {
  id: true,
  position: true,
  registeredAt: true,
  kind: true,
  segment: true,
  profile: true,
  profileChanges: true,
  marketingConsents: true,
  purchases: true,
  refunds: true,
  touchpoints: true,
  surveys: true,
  supportCases: true,
  surveyRequests: true,
};
const DOCUMENT_KEY_COUNT = Object.keys(DOCUMENT_KEYS).length;

/** As a search from the front would find them: the first fact of a repeated key wins. */
function firstChannelOfEachOrder(purchases: readonly PurchaseFact[]): Map<string, PurchaseChannel> {
  const channels = new Map<string, PurchaseChannel>();
  for (const { orderId, channel } of purchases) if (!channels.has(orderId)) channels.set(orderId, channel);
  return channels;
}

function firstOfEachCase(cases: readonly SupportCaseFact[]): Map<string, SupportCaseFact> {
  const byId = new Map<string, SupportCaseFact>();
  for (const supportCase of cases)
    if (!byId.has(supportCase.caseId)) byId.set(supportCase.caseId, supportCase);
  return byId;
}

function firstOfEachRequest(requests: readonly SurveyRequestFact[]): Map<string, SurveyRequestFact> {
  const byId = new Map<string, SurveyRequestFact>();
  for (const request of requests) if (!byId.has(request.requestId)) byId.set(request.requestId, request);
  return byId;
}

function appendTo<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [value]);
  else group.push(value);
}
