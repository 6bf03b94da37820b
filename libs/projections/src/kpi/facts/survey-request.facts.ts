import type { SurveyAnswered, SurveyRequested } from '@crm/domain';
import type { IsoInstant } from '../../shared/instant';
import { compareInstants } from './fact-chronology';
import type { KpiFactRef, SurveyRequestFact } from './kpi-facts.document';

/** A SurveyAnswered that names the request it answers. */
export type RequestedSurveyAnswer = SurveyAnswered & { readonly data: { readonly requestId: string } };

export function answersARequest(event: SurveyAnswered): event is RequestedSurveyAnswer {
  return event.data.requestId !== undefined;
}

/**
 * Records a request or an answer to it. Each keeps its earliest occurredAt,
 * whatever the log order: a replay up to an instant (time travel) then sees
 * the same request and answer the whole fold saw, if they occurred before it,
 * and the counters keep the answer's day for that (kpi-term-sink.ts,
 * `settled`). A second answer changes nothing unless it occurred earlier.
 */
export function withSurveyRequestStatement(
  current: SurveyRequestFact,
  event: SurveyRequested | RequestedSurveyAnswer,
  ref: KpiFactRef,
): SurveyRequestFact {
  if (event.type === 'SurveyRequested') {
    return isEarlier(ref.at, current.requestedAt) ? { ...current, requestedAt: ref.at } : current;
  }
  return isEarlier(ref.at, current.answeredAt) ? { ...current, answeredAt: ref.at } : current;
}

function isEarlier(at: IsoInstant, than: IsoInstant | undefined): boolean {
  return than === undefined || compareInstants(at, than) < 0;
}

/** By request time (requests never stated last), then by requestId, so the order never depends on arrival. */
export function compareSurveyRequests(a: SurveyRequestFact, b: SurveyRequestFact): number {
  return compareRequested(a, b) || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0);
}

function compareRequested(
  { requestedAt: a }: SurveyRequestFact,
  { requestedAt: b }: SurveyRequestFact,
): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  return compareInstants(a, b);
}
