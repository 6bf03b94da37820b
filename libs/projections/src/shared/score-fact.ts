import type { EventRef } from './event-ref';

/** One survey score with its place in history, enough to find the latest answer at any moment. */
export type ScoreFact = EventRef & { readonly score: number };

/** domain.md: promoters answer 9–10, passives 7–8, detractors 0–6. */
export const NPS_PROMOTER_MIN = 9;
export const NPS_PASSIVE_MIN = 7;

export function isPromoterScore(score: number): boolean {
  return score >= NPS_PROMOTER_MIN;
}
