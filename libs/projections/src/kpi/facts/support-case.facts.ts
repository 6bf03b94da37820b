import type {
  SupportCaseOpened,
  SupportCaseResolved,
  SupportCaseResponded,
  SupportCaseSlaBreached,
} from '@crm/domain';
import { compareInstants } from './fact-chronology';
import type { KpiFactRef, SupportCaseFact } from './kpi-facts.document';

export type SupportCaseEvent =
  SupportCaseOpened | SupportCaseResponded | SupportCaseResolved | SupportCaseSlaBreached;

/**
 * Records one milestone of a case. Each milestone keeps its first statement
 * in log order (the decider allows no second one); a response or resolution
 * for a case not seen yet still counts, it just has no opening (start from
 * `{ caseId }`). A breach keeps the earliest by occurredAt instead: time
 * travel folds only what occurred before its instant, and the counters keep
 * the breach's day for it (kpi-term-sink.ts, `settled`), so both see the same.
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
    case 'SupportCaseSlaBreached':
      return current.breachedAt === undefined || compareInstants(ref.at, current.breachedAt) < 0
        ? { ...current, breachedAt: ref.at }
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
