import type { CustomerKind, PurchaseChannel, SurveyType, TouchpointChannel } from '@crm/domain';
import type { IsoInstant } from '../../shared/instant';
import type { ProjectionDocument } from '../../shared/projected-event';

/**
 * A fact's place in history: its occurredAt (canonical ISO) and log position.
 * "Latest" and "in order" mean by `at`, ties by `position` (domain.md).
 */
export type KpiFactRef = {
  readonly at: IsoInstant;
  readonly position: number;
};

/**
 * What one event said about the profile: only the keys it carried. `true`
 * means a non-blank value; a blank string clears the field.
 */
export type ProfileChangeFact = KpiFactRef & {
  readonly name?: boolean;
  readonly email?: boolean;
  readonly phone?: boolean;
  /** The trimmed segment, or null when the event blanked it. */
  readonly segment?: string | null;
};

export type ProfilePresence = {
  readonly name: boolean;
  readonly email: boolean;
  readonly phone: boolean;
  readonly segment: boolean;
};

export type ConsentFact = KpiFactRef & { readonly granted: boolean };

export type PurchaseFact = KpiFactRef & {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly channel: PurchaseChannel;
};

export type RefundFact = KpiFactRef & {
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
};

export type TouchpointFact = KpiFactRef & {
  readonly channel: TouchpointChannel;
  readonly inbound: boolean;
};

export type SurveyFact = KpiFactRef & {
  readonly type: SurveyType;
  readonly score: number;
};

/**
 * One support case. Only the first statement of each milestone counts (the
 * first agent reply is what first-response time measures).
 */
export type SupportCaseFact = {
  readonly caseId: string;
  readonly openedAt?: IsoInstant;
  readonly respondedAt?: IsoInstant;
  readonly resolvedAt?: IsoInstant;
  readonly firstContact?: boolean;
  /**
   * When the case missed its first-response due time: the earliest
   * SupportCaseSlaBreached by occurredAt (the decider allows one; the earliest
   * is what a replay up to any instant sees first).
   */
  readonly breachedAt?: IsoInstant;
};

/**
 * One survey request (SurveyRequested) and whether it was answered: keyed by
 * requestId, so however many SurveyAnswered name it the request counts once.
 * The answer may be folded before the request (imports), or occur before it.
 */
export type SurveyRequestFact = {
  readonly requestId: string;
  /** The first SurveyRequested's occurredAt (the decider allows one per requestId). */
  readonly requestedAt?: IsoInstant;
  /** The earliest SurveyAnswered naming the request, by occurredAt. */
  readonly answeredAt?: IsoInstant;
};

/**
 * Everything the Payne & Frow KPIs need about one customer, for any period.
 * Each fact keeps its own occurredAt, so a period is cut at query time and a
 * back-dated event lands where it belongs. Plain JSON: lists in history order
 * (`at`, then `position`), never Map/Set/Date; lists rather than records
 * because order and case ids are client data.
 */
export type KpiFactsDocument = ProjectionDocument & {
  readonly registeredAt: IsoInstant;
  readonly kind: CustomerKind;
  /** The latest segment stated (by occurredAt), null when none. */
  readonly segment: string | null;
  /** The latest presence of each profile field (by occurredAt). */
  readonly profile: ProfilePresence;
  /** Registration and every profile update, to evaluate the profile at any instant. */
  readonly profileChanges: readonly ProfileChangeFact[];
  /** ConsentChanged for purpose `marketing_email` only. */
  readonly marketingConsents: readonly ConsentFact[];
  /** One per distinct orderId (the first recorded wins). */
  readonly purchases: readonly PurchaseFact[];
  readonly refunds: readonly RefundFact[];
  readonly touchpoints: readonly TouchpointFact[];
  readonly surveys: readonly SurveyFact[];
  readonly supportCases: readonly SupportCaseFact[];
  /**
   * Ordered as supportCases are (requests never stated last, then requestId).
   * Absent from documents folded before counter layout 5 (kpi-term-sink.ts),
   * which read as no request until `payne-frow-kpis` is rebuilt.
   */
  readonly surveyRequests?: readonly SurveyRequestFact[];
};
