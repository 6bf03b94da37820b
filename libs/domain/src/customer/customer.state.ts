import type { CustomerKind, PurchaseChannel, SurveyType } from '../events/catalogue';

/** What the rules need to know about one order: enough to police its refunds. */
export type OrderState = {
  readonly paid: number;
  readonly currency: string;
  readonly channel: PurchaseChannel;
  /** Sum of the refunds recorded so far, in the order's currency. */
  readonly refunded: number;
};

export type SupportCaseState = {
  readonly opened: boolean;
  /** Only the first agent reply is a fact (it measures first-response time). */
  readonly responded: boolean;
  readonly resolved: boolean;
  /** SupportCaseSlaBreached recorded: a case breaches its service level once. */
  readonly slaBreached: boolean;
};

/** A follow-up, for the rules: it exists, and whether it is still open. */
export type FollowUpState = { readonly open: boolean };

/** A feedback request (SurveyRequested): which scale it asked on, and whether it was answered. */
export type SurveyRequestState = { readonly surveyType: SurveyType; readonly answered: boolean };

/**
 * The decision state of one customer stream. It holds only what the rules
 * need; profile, journey and KPIs belong to the projections.
 */
export type CustomerState = {
  readonly registered: boolean;
  /** True after CustomerErased: the stream is closed to every command. */
  readonly erased: boolean;
  /** The survivor, once this customer was merged into another (CustomersMerged): closed to every command. */
  readonly mergedInto: string | null;
  /** null until CustomerRegistered. */
  readonly customerId: string | null;
  readonly kind: CustomerKind | null;
  /** By orderId. Maps, not records: ids are client data and must not collide with prototype keys. */
  readonly orders: ReadonlyMap<string, OrderState>;
  /** By caseId. */
  readonly supportCases: ReadonlyMap<string, SupportCaseState>;
  /** By followUpId. */
  readonly followUps: ReadonlyMap<string, FollowUpState>;
  /** By requestId. */
  readonly surveyRequests: ReadonlyMap<string, SurveyRequestState>;
};

export function initialState(): CustomerState {
  return {
    registered: false,
    erased: false,
    mergedInto: null,
    customerId: null,
    kind: null,
    orders: new Map(),
    supportCases: new Map(),
    followUps: new Map(),
    surveyRequests: new Map(),
  };
}

/** How much of an order can still be refunded, in minor units. */
export function refundableAmount(order: OrderState): number {
  return order.paid - order.refunded;
}
