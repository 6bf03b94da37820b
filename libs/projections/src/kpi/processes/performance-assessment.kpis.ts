import { dayOf } from '../aggregates/kpi-days';
import type { KpiTermSink } from '../aggregates/kpi-term-sink';
import { funnelMetric, funnelTerms } from '../aggregates/funnel-terms';
import { RETENTION_METRIC } from '../aggregates/retention-terms';
import { factsWithin, type InstantRange, isWithin } from '../facts/fact-chronology';
import { FUNNEL_STAGES, type FunnelStage, funnelStageAt } from '../facts/funnel-stage';
import { firstPurchaseMs, firstPurchaseWithin, isCustomerAt } from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument, SurveyRequestFact } from '../facts/kpi-facts.document';
import { COUNTS, counterValues, type ProcessDefinition, RATE } from '../kpi-definition';
import { percentage, ratio, sum } from '../kpi-math';

/** What the figures are formulas of; both paths measure the same. */
type Inputs = {
  readonly npsAnswers: number;
  /** Scores 9–10. */
  readonly promoters: number;
  /** Scores 0–6. */
  readonly detractors: number;
  readonly csatAnswers: number;
  /** Scores ≥ 4. */
  readonly csatSatisfied: number;
  readonly cesAnswers: number;
  readonly cesSum: number;
  /** Cases resolved in the period. */
  readonly resolved: number;
  readonly resolvedFirstContact: number;
  readonly funnel: Readonly<Record<FunnelStage, number>>;
  /** Customers at `to` with no purchase before `from`. */
  readonly prospects: number;
  /** Of them, those whose first purchase is in the period. */
  readonly converted: number;
  /** Survey requests made in the period. */
  readonly surveyRequests: number;
  /** Of them, those answered, whenever the answer came. */
  readonly answeredRequests: number;
};

/** The metrics of the counters (kpi/aggregates): each a sum over customers of their terms. */
const METRIC = {
  npsAnswers: 'nps',
  promoters: 'nps+',
  detractors: 'nps-',
  csatAnswers: 'csat',
  csatSatisfied: 'csat+',
  cesAnswers: 'ces',
  cesSum: 'cesSum',
  resolved: 'res',
  resolvedFirstContact: 'res1',
  surveyRequests: 'sreq',
  answeredRequests: 'sreq+',
} as const;

export const PERFORMANCE_ASSESSMENT = {
  measure: (facts, range) => {
    const surveys = facts.flatMap((doc) => factsWithin(doc.surveys, range));
    const scoresOf = (type: 'nps' | 'csat' | 'ces'): number[] =>
      surveys.filter((survey) => survey.type === type).map((survey) => survey.score);
    const [nps, csat, ces] = [scoresOf('nps'), scoresOf('csat'), scoresOf('ces')];
    const resolved = facts.flatMap((doc) =>
      doc.supportCases.filter(({ resolvedAt }) => resolvedAt !== undefined && isWithin(resolvedAt, range)),
    );
    const prospects = facts.filter((doc) => isCustomerAt(doc, range.to) && !boughtBefore(doc, range.from));
    const requests = facts.flatMap((doc) => requestsWithin(doc, range));
    return {
      npsAnswers: nps.length,
      promoters: nps.filter((score) => score >= 9).length,
      detractors: nps.filter((score) => score <= 6).length,
      csatAnswers: csat.length,
      csatSatisfied: csat.filter((score) => score >= 4).length,
      cesAnswers: ces.length,
      cesSum: sum(ces),
      resolved: resolved.length,
      resolvedFirstContact: resolved.filter((supportCase) => supportCase.firstContact === true).length,
      funnel: funnelAt(facts, range.to),
      prospects: prospects.length,
      converted: prospects.filter((doc) => firstPurchaseWithin(doc, range)).length,
      surveyRequests: requests.length,
      answeredRequests: requests.filter(({ answeredAt }) => answeredAt !== undefined).length,
    };
  },
  read: (counters) => ({
    ...counterValues(counters, METRIC),
    funnel: Object.fromEntries(
      FUNNEL_STAGES.map((stage) => [stage, counters.value(funnelMetric(stage))]),
    ) as Record<FunnelStage, number>,
    prospects: counters.value(RETENTION_METRIC.prospects),
    converted: counters.value(RETENTION_METRIC.newcomers),
  }),
  terms: (doc, _churnWindowMs, sink) => {
    surveyTerms(doc, sink);
    for (const { resolvedAt, firstContact } of doc.supportCases) {
      if (resolvedAt === undefined) continue;
      sink.within(dayOf(resolvedAt), METRIC.resolved, 1);
      if (firstContact === true) sink.within(dayOf(resolvedAt), METRIC.resolvedFirstContact, 1);
    }
    surveyRequestTerms(doc, sink);
    funnelTerms(doc, dayOf(doc.registeredAt), sink);
    // prospects and converted are value creation's newcomer terms (retention-terms.ts).
  },
  kpis: {
    nps: {
      description: 'Net Promoter Score: %promoters (9–10) − %detractors (0–6) over the NPS answers, −100…100',
      schema: RATE,
      formula: (n) => percentage(n.promoters - n.detractors, n.npsAnswers),
    },
    csat: {
      description: '% of the CSAT answers scoring 4 or more, 0…100',
      schema: RATE,
      formula: (n) => percentage(n.csatSatisfied, n.csatAnswers),
    },
    ces: {
      description: 'Mean Customer Effort Score of the answers',
      schema: RATE,
      formula: (n) => ratio(n.cesSum, n.cesAnswers),
    },
    firstContactResolution: {
      description: 'Cases resolved at first contact / cases resolved in the period',
      schema: RATE,
      formula: (n) => ratio(n.resolvedFirstContact, n.resolved),
    },
    surveyResponseRate: {
      description:
        'Survey requests made in the period that have an answer (whenever it came) / survey requests made in the period',
      schema: RATE,
      formula: (n) => ratio(n.answeredRequests, n.surveyRequests),
    },
    funnel: {
      description: 'Customers per stage at `to`, each under the highest stage reached',
      schema: COUNTS,
      formula: (n) => n.funnel,
    },
    conversionRate: {
      description:
        'Customers whose first purchase is in the period / customers at `to` with no purchase before `from`',
      schema: RATE,
      formula: (n) => ratio(n.converted, n.prospects),
    },
  },
} satisfies ProcessDefinition<Inputs>;

function surveyTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  for (const survey of doc.surveys) {
    const day = dayOf(survey.at);
    if (survey.type === 'nps') {
      sink.within(day, METRIC.npsAnswers, 1);
      if (survey.score >= 9) sink.within(day, METRIC.promoters, 1);
      if (survey.score <= 6) sink.within(day, METRIC.detractors, 1);
    } else if (survey.type === 'csat') {
      sink.within(day, METRIC.csatAnswers, 1);
      if (survey.score >= 4) sink.within(day, METRIC.csatSatisfied, 1);
    } else {
      sink.within(day, METRIC.cesAnswers, 1);
      sink.within(day, METRIC.cesSum, survey.score);
    }
  }
}

/** A request counts in the period of its SurveyRequested; its answer, whenever it came, in the same. */
function surveyRequestTerms(doc: KpiFactsDocument, sink: KpiTermSink): void {
  for (const { requestedAt, answeredAt } of doc.surveyRequests ?? []) {
    if (requestedAt === undefined) continue;
    const day = dayOf(requestedAt);
    sink.within(day, METRIC.surveyRequests, 1);
    if (answeredAt !== undefined) sink.settled(day, dayOf(answeredAt), METRIC.answeredRequests, 1);
  }
}

/** Requests made in the period; an answer folded without its request is none. */
function requestsWithin(doc: KpiFactsDocument, range: InstantRange): SurveyRequestFact[] {
  return (doc.surveyRequests ?? []).filter(
    ({ requestedAt }) => requestedAt !== undefined && isWithin(requestedAt, range),
  );
}

/** Each customer at `t` counted once, under the highest stage reached before `t`. */
function funnelAt(facts: readonly KpiFactsDocument[], t: number): Record<FunnelStage, number> {
  const funnel = Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])) as Record<FunnelStage, number>;
  for (const doc of facts.filter((customer) => isCustomerAt(customer, t))) funnel[funnelStageAt(doc, t)] += 1;
  return funnel;
}

function boughtBefore(doc: KpiFactsDocument, t: number): boolean {
  const first = firstPurchaseMs(doc);
  return first !== undefined && first < t;
}
