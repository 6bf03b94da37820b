import type { SurveyType } from '@crm/domain';
import { factsWithin, type InstantRange, isWithin } from '../facts/fact-chronology';
import { FUNNEL_STAGES, type FunnelStage, funnelStageAt } from '../facts/funnel-stage';
import { firstPurchaseMs, firstPurchaseWithin, isCustomerAt } from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { mean, percentage, ratio } from '../kpi-math';
import type { PerformanceAssessmentKpis } from '../payne-frow-kpis';

export function performanceAssessmentKpis(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
): PerformanceAssessmentKpis {
  const scoresOf = (type: SurveyType): number[] =>
    facts.flatMap((doc) =>
      factsWithin(doc.surveys, range)
        .filter((s) => s.type === type)
        .map((s) => s.score),
    );
  const csatScores = scoresOf('csat');
  return {
    nps: netPromoterScore(scoresOf('nps')),
    csat: percentage(csatScores.filter((score) => score >= 4).length, csatScores.length),
    ces: mean(scoresOf('ces')),
    firstContactResolution: firstContactResolution(facts, range),
    funnel: funnelAt(facts, range.to),
    conversionRate: conversionRate(facts, range),
  };
}

/** %promoters (9–10) − %detractors (0–6) over the answers. */
function netPromoterScore(scores: readonly number[]): number | null {
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  return percentage(promoters - detractors, scores.length);
}

/** Over the cases resolved in the period. */
function firstContactResolution(facts: readonly KpiFactsDocument[], range: InstantRange): number | null {
  const resolved = facts.flatMap((doc) =>
    doc.supportCases.filter(({ resolvedAt }) => resolvedAt !== undefined && isWithin(resolvedAt, range)),
  );
  return ratio(resolved.filter((supportCase) => supportCase.firstContact === true).length, resolved.length);
}

/** Each customer at `t` counted once, under the highest stage reached before `t`. */
function funnelAt(facts: readonly KpiFactsDocument[], t: number): Record<FunnelStage, number> {
  const funnel = Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])) as Record<FunnelStage, number>;
  for (const doc of facts.filter((customer) => isCustomerAt(customer, t))) funnel[funnelStageAt(doc, t)] += 1;
  return funnel;
}

/** First purchase in the period / customers at `to` who had not bought before `from`. */
function conversionRate(facts: readonly KpiFactsDocument[], range: InstantRange): number | null {
  const prospects = facts.filter((doc) => isCustomerAt(doc, range.to) && !boughtBefore(doc, range.from));
  return ratio(prospects.filter((doc) => firstPurchaseWithin(doc, range)).length, prospects.length);
}

function boughtBefore(doc: KpiFactsDocument, t: number): boolean {
  const first = firstPurchaseMs(doc);
  return first !== undefined && first < t;
}
