import type { CustomerKind, TouchpointChannel } from '@crm/domain';
import type {
  EventRef,
  IsoInstant,
  OrderFact,
  ProfileFieldFact,
  ProjectionDocument,
  ScoreFact,
} from '../shared';

/** How often and how lately the customer used one channel. The ref is the latest touchpoint on it. */
export type ChannelActivity = EventRef & { readonly count: number };

export type ChannelActivities = Partial<Record<TouchpointChannel, ChannelActivity>>;

/** Purchase amount per item category (Σ quantity · unitAmount, minor units). */
export type CategoryAmount = { readonly category: string; readonly amount: number };

export type IdentityKeys = {
  /** Lower-cased and trimmed. */
  readonly email: string | null;
  /** E.164 (`+` and 7–15 digits); null when the number carries no country code. */
  readonly phone: string | null;
};

export type ProfileFacts = {
  /** Only whether a name is present is kept: completeness needs no more. */
  readonly name: ProfileFieldFact | null;
  readonly email: ProfileFieldFact | null;
  readonly phone: ProfileFieldFact | null;
  readonly segment: ProfileFieldFact | null;
};

/** A distinct order, with the amount it added to purchaseTotal. */
export type IdicOrderFact = OrderFact & { readonly amount: number };

/** A refund: its instant, log position and amount (minor units). */
export type IdicRefundFact = EventRef & { readonly amount: number };

export type IdicFacts = {
  readonly profile: ProfileFacts;
  /** Distinct orders in history order: the first recorded purchase of each orderId. */
  readonly orders: readonly IdicOrderFact[];
  /*
   * The rest is kept for time travel (idic/ranks): which of the customer's
   * value facts counted as of any past day depends on their instants and
   * log order, not on today's totals alone.
   */
  /** Every registration applied, the first one included, in log order. */
  readonly registrations: readonly EventRef[];
  /** Purchases of an orderId already known (imports only), in log order: as of an earlier day one may count instead. */
  readonly repeatedOrders: readonly IdicOrderFact[];
  /** Every refund applied, in log order. */
  readonly refunds: readonly IdicRefundFact[];
};

export type ValueClass = 'prospect' | 'below_zero' | 'positive';

/** The IDIC read model, one per customer (plain JSON). Population ranks are applied at query time. */
export type IdicDocument = ProjectionDocument & {
  readonly customerId: string;
  readonly kind: CustomerKind;
  // Identify: the identity keys themselves are personal data and are not kept here (docs/privacy.md);
  // reads fold them from the customer's decrypted stream, lookups use the blind index.
  readonly segment: string | null;
  /** Share of {name, email, phone, segment} present, 0–1. */
  readonly profileCompleteness: number;
  // Differentiate by value (minor units; currencies are not converted)
  readonly purchaseTotal: number;
  readonly refundTotal: number;
  readonly netRevenue: number;
  readonly orders: number;
  /**
   * The part of the value tier that is this customer's alone (valueTier):
   * `prospect` (no purchase), `below_zero` (netRevenue ≤ 0), or `positive`
   * (mvc, core or low by rank). Indexed, so a tier's members are found in
   * customerId order without reading the others.
   */
  readonly valueClass: ValueClass;
  readonly aov: number | null;
  readonly lastPurchaseAt: IsoInstant | null;
  // Differentiate by needs
  readonly channels: ChannelActivities;
  readonly preferredChannel: TouchpointChannel | null;
  /** Sorted by category name. */
  readonly categories: readonly CategoryAmount[];
  readonly topCategory: string | null;
  // Interact
  readonly touchpoints: number;
  readonly inboundTouchpoints: number;
  readonly inboundShare: number | null;
  /** Touchpoints per UTC day (`YYYY-MM-DD`), so touchpoints90d can be taken at any asOf. */
  readonly touchpointsByDay: Readonly<Record<string, number>>;
  // Satisfaction
  readonly latestNps: ScoreFact | null;
  readonly csat: { readonly sum: number; readonly count: number };
  readonly avgCsat: number | null;
  readonly facts: IdicFacts;
};
