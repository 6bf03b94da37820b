import { isPromoterScore } from '../../shared/score-fact';
import { compareFacts } from '../facts/fact-chronology';
import { FUNNEL_STAGES, type FunnelStage } from '../facts/funnel-stage';
import type { KpiFactRef, KpiFactsDocument } from '../facts/kpi-facts.document';
import type { Day } from './kpi-days';
import type { KpiTermSink } from './kpi-term-sink';
import { forEachDay, stepTerms } from './term-shapes';

/** The customers in each stage of the funnel at T. */
export const funnelMetric = (stage: FunnelStage): string => `fun|${stage}`;

type FunnelStep = KpiFactRef &
  (
    | { readonly kind: 'registered' }
    | { readonly kind: 'order'; readonly orderId: string }
    | { readonly kind: 'nps'; readonly score: number }
    | { readonly kind: 'inbound' }
  );

/**
 * The stage as of each day after registration (funnel-stage.ts): the facts
 * walked once in history order, loyalty checked after each of them, the
 * stage read at the end of each day.
 */
export function funnelTerms(doc: KpiFactsDocument, registered: Day, sink: KpiTermSink): void {
  const steps: FunnelStep[] = [
    { at: doc.registeredAt, position: 0, kind: 'registered' } as const,
    ...doc.purchases.map(({ at, position, orderId }): FunnelStep => ({
      at,
      position,
      kind: 'order',
      orderId,
    })),
    ...doc.surveys
      .filter((survey) => survey.type === 'nps')
      .map(({ at, position, score }): FunnelStep => ({ at, position, kind: 'nps', score })),
    ...doc.touchpoints
      .filter((touchpoint) => touchpoint.inbound)
      .map(({ at, position }): FunnelStep => ({ at, position, kind: 'inbound' })),
  ].sort(compareFacts);
  const orders = new Set<string>();
  let isRegistered = false;
  let latestNps: number | undefined;
  let loyal = false;
  let inbound = false;
  const stages: { day: Day; value: number }[] = [];
  forEachDay(steps, (day, ofDay) => {
    for (const step of ofDay) {
      if (step.kind === 'registered') isRegistered = true;
      else if (step.kind === 'order') orders.add(step.orderId);
      else if (step.kind === 'nps') latestNps = step.score;
      else inbound = true;
      if (isRegistered && orders.size >= 2 && latestNps !== undefined && isPromoterScore(latestNps))
        loyal = true;
    }
    const stage: FunnelStage = loyal
      ? 'loyalty'
      : orders.size >= 2
        ? 'retention'
        : orders.size === 1
          ? 'conversion'
          : inbound
            ? 'acquisition'
            : 'reach';
    stages.push({ day, value: FUNNEL_STAGES.indexOf(stage) });
  });
  // One counter per stage: the customer moves from one to the next on the day it changes.
  for (const [index, stage] of FUNNEL_STAGES.entries()) {
    const inStage = stages.map(({ day, value }) => ({ day, value: value === index ? 1 : 0 }));
    stepTerms(registered, inStage, funnelMetric(stage), sink);
  }
}
