import type { AppConfig } from '@crm/platform/config';
import { ReadTooLargeError } from '@crm/platform/slicing';

/** The stable code of a replay refused for its size (docs/errors.md). */
export const REPLAY_TOO_LARGE = 'ANALYTICS.TOO_LARGE';

/** How long a log a whole-history replay may fold (`ANALYTICS_MAX_REPLAY_EVENTS`). */
export type ReplayBudget = {
  readonly maxEvents: number;
  /**
   * Whether the head position bounds the number of events in the log, so a
   * log too long is refused before a page is read. True on the embedded
   * store, whose positions count the events (gaps aside). A KurrentDB
   * position is a byte offset: there the events are counted as they are read.
   */
  readonly headCountsEvents: boolean;
};

export function replayBudgetOf(config: AppConfig): ReplayBudget {
  return {
    maxEvents: config.analytics.maxReplayEvents,
    headCountsEvents: config.eventStore.kind === 'sqlite',
  };
}

/** @throws ReadTooLargeError when a log with this head position is over the budget. */
export function checkReplayHead(budget: ReplayBudget | undefined, head: number): void {
  if (budget?.headCountsEvents === true && head > budget.maxEvents)
    throw tooLarge(`The history holds ${head} events`, budget.maxEvents);
}

/** @throws ReadTooLargeError once more events than the budget have been read. */
export function checkReplayRead(budget: ReplayBudget | undefined, read: number): void {
  if (budget !== undefined && read > budget.maxEvents)
    throw tooLarge(`The history holds more than ${budget.maxEvents} events`, budget.maxEvents);
}

function tooLarge(holds: string, maxEvents: number): ReadTooLargeError {
  return new ReadTooLargeError(
    REPLAY_TOO_LARGE,
    `${holds}; a replay of the whole history (what-if, time-travel scores and KPIs) reads at most ${maxEvents} ` +
      '(ANALYTICS_MAX_REPLAY_EVENTS). Export the log (GET /events) to analyse it elsewhere, or raise the limit',
  );
}
