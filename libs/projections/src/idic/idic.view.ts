import type { TouchpointChannel } from '@crm/domain';
import { type AsOf, canonicalInstant, type IsoInstant } from '../shared';
import type { IdicDocument } from './idic.document';
import {
  DEFAULT_SCORING,
  differentiationScore,
  npsClass,
  type NpsClass,
  recencyDays,
  rfmScore,
  type ScoringParameters,
  touchpoints90d,
  valueTier,
  type ValueTier,
} from './idic.scores';

/**
 * The customer's L on each RFM metric among the N purchasers at asOf. For
 * recency, higher is better on −daysSinceLastPurchase, so recencyLower is
 * the number of purchasers with strictly MORE days since their last purchase.
 */
export type IdicRanks = {
  readonly recencyLower: number;
  readonly frequencyLower: number;
  readonly monetaryLower: number;
  readonly purchasers: number;
};

export type RfmScores = { readonly recency: number; readonly frequency: number; readonly monetary: number };

/** The IDIC scores response for one customer at asOf. */
export type IdicView = {
  readonly customerId: string;
  readonly asOf: IsoInstant;
  readonly identify: {
    readonly email: string | null;
    readonly phone: string | null;
    readonly profileCompleteness: number;
  };
  readonly differentiate: {
    readonly value: {
      readonly netRevenue: number;
      readonly purchaseTotal: number;
      readonly refundTotal: number;
      readonly orders: number;
      readonly aov: number | null;
      readonly lastPurchaseAt: IsoInstant | null;
      readonly daysSinceLastPurchase: number | null;
      /** null for a prospect: RFM ranks customers with at least one purchase. */
      readonly rfm: RfmScores | null;
      readonly differentiationScore: number | null;
      readonly valueTier: ValueTier;
    };
    readonly needs: {
      readonly preferredChannel: TouchpointChannel | null;
      readonly topCategory: string | null;
    };
  };
  readonly interact: {
    readonly touchpoints: number;
    readonly touchpoints90d: number;
    readonly inboundShare: number | null;
  };
  readonly satisfaction: {
    readonly latestNps: number | null;
    readonly npsClass: NpsClass | null;
    readonly avgCsat: number | null;
  };
};

/**
 * Assembles the scores response; the ranks come from the population at the
 * same asOf. `scoring` is for what-if runs: the live routes use the defaults.
 */
export function idicView(
  doc: IdicDocument,
  asOf: AsOf,
  ranks: IdicRanks,
  scoring: ScoringParameters = DEFAULT_SCORING,
): IdicView {
  return {
    customerId: doc.customerId,
    asOf: canonicalInstant(asOf),
    // The keys are not in the read model; the live scores route fills them from the decrypted stream.
    identify: { email: null, phone: null, profileCompleteness: doc.profileCompleteness },
    differentiate: {
      value: valueView(doc, asOf, ranks, scoring),
      needs: { preferredChannel: doc.preferredChannel, topCategory: doc.topCategory },
    },
    interact: {
      touchpoints: doc.touchpoints,
      touchpoints90d: touchpoints90d(doc, asOf),
      inboundShare: doc.inboundShare,
    },
    satisfaction: {
      latestNps: doc.latestNps?.score ?? null,
      npsClass: doc.latestNps === null ? null : npsClass(doc.latestNps.score),
      avgCsat: doc.avgCsat,
    },
  };
}

function valueView(
  doc: IdicDocument,
  asOf: AsOf,
  ranks: IdicRanks,
  scoring: ScoringParameters,
): IdicView['differentiate']['value'] {
  const rfm = doc.orders === 0 ? null : rfmScores(ranks);
  return {
    netRevenue: doc.netRevenue,
    purchaseTotal: doc.purchaseTotal,
    refundTotal: doc.refundTotal,
    orders: doc.orders,
    aov: doc.aov,
    lastPurchaseAt: doc.lastPurchaseAt,
    daysSinceLastPurchase: doc.lastPurchaseAt === null ? null : recencyDays(doc.lastPurchaseAt, asOf),
    rfm,
    differentiationScore:
      rfm === null
        ? null
        : differentiationScore(rfm.recency, rfm.frequency, rfm.monetary, scoring.rfmWeights),
    valueTier: valueTier(doc, ranks.monetaryLower, ranks.purchasers, scoring.valueTierCutoffs),
  };
}

function rfmScores(ranks: IdicRanks): RfmScores {
  return {
    recency: rfmScore(ranks.recencyLower, ranks.purchasers),
    frequency: rfmScore(ranks.frequencyLower, ranks.purchasers),
    monetary: rfmScore(ranks.monetaryLower, ranks.purchasers),
  };
}
