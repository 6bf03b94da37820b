import type { CustomerKind, TouchpointChannel } from '@crm/domain';
import type {
  EventRef,
  IsoInstant,
  OrderFact,
  ProfileFieldFact,
  ProjectionDocument,
  ScoreFact,
} from '../shared';

/** The five stages of relationship management, lowest first. */
export const JOURNEY_STAGES = ['reach', 'acquisition', 'conversion', 'retention', 'loyalty'] as const;
export type JourneyStage = (typeof JOURNEY_STAGES)[number];

export type StageReached = {
  readonly stage: JourneyStage;
  /** occurredAt of the event that reached it. */
  readonly reachedAt: IsoInstant;
};

export type ChannelCounts = Partial<Record<TouchpointChannel, number>>;

/**
 * The compact history the order-dependent fields are derived from on every
 * evolve. Keeping facts rather than running values is what makes a
 * back-dated event land exactly where it would have if logged in order.
 */
export type JourneyFacts = {
  readonly registration: EventRef;
  readonly segment: ProfileFieldFact | null;
  /** Only the earliest inbound touchpoint can move acquisition. */
  readonly firstInbound: EventRef | null;
  /** Distinct orders in history order. */
  readonly orders: readonly OrderFact[];
  /** Every NPS answer in history order: a back-dated one can change which was latest at any moment. */
  readonly npsAnswers: readonly ScoreFact[];
};

/** The customer journey read model, one per customer (plain JSON). */
export type JourneyDocument = ProjectionDocument & {
  readonly customerId: string;
  readonly kind: CustomerKind;
  readonly segment: string | null;
  readonly registeredAt: IsoInstant;
  /** The highest stage reached; never moves back along the occurredAt timeline. */
  readonly stage: JourneyStage;
  /**
   * Every stage up to the current one, in order, with the occurredAt of the
   * event that reached it; a stage jumped over shares the instant of the event
   * that jumped it.
   */
  readonly stageHistory: readonly StageReached[];
  readonly firstTouchAt: IsoInstant | null;
  readonly lastTouchAt: IsoInstant | null;
  readonly touchpoints: number;
  readonly touchpointsByChannel: ChannelCounts;
  readonly firstPurchaseAt: IsoInstant | null;
  readonly lastPurchaseAt: IsoInstant | null;
  /** Whole days (rounded down) from registration to the first purchase; 0 if that purchase predates registration. */
  readonly daysToConvert: number | null;
  readonly facts: JourneyFacts;
};
