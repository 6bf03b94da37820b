import type { SupportCaseOpened, SupportCaseResolved, SupportCaseResponded } from '@crm/domain';
import { compareInstants } from './fact-chronology';
import type { KpiFactRef, SupportCaseFact } from './kpi-facts.document';

export type SupportCaseEvent = SupportCaseOpened | SupportCaseResponded | SupportCaseResolved;

/**
 * Records one milestone of a case. Each milestone keeps its first statement
 * in log order (the decider allows no second one); a response or resolution
 * for a case not seen yet still counts, it just has no opening (start from
 * `{ caseId }`).
 */
export function withSupportCaseMilestone(
  current: SupportCaseFact,
  event: SupportCaseEvent,
  ref: KpiFactRef,
): SupportCaseFact {
  switch (event.type) {
    case 'SupportCaseOpened':
      return current.openedAt === undefined ? { ...current, openedAt: ref.at } : current;
    case 'SupportCaseResponded':
      return current.respondedAt === undefined ? { ...current, respondedAt: ref.at } : current;
    case 'SupportCaseResolved':
      return current.resolvedAt === undefined
        ? { ...current, resolvedAt: ref.at, firstContact: event.data.firstContact }
        : current;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** By opening time (cases never opened last), then by caseId, so the order never depends on arrival. */
export function compareSupportCases(a: SupportCaseFact, b: SupportCaseFact): number {
  return compareOpenings(a, b) || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);
}

function compareOpenings({ openedAt: a }: SupportCaseFact, { openedAt: b }: SupportCaseFact): number {
  if (a === undefined || b === undefined) return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  return compareInstants(a, b);
}
