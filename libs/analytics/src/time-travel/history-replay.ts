import { CUSTOMER_STREAM_PREFIX, isCrmEventType, toCrmEvent } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { Slicer } from '@crm/platform/slicing';
import {
  absorbs,
  countsAsOf,
  evolveIdic,
  evolveKpiFacts,
  foldIdic,
  foldKpiFacts,
  mergedAway,
  mergedHistory,
  type IdicDocument,
  type KpiFactsDocument,
  type ProjectedEvent,
} from '@crm/projections';
import { checkReplayHead, checkReplayRead, type ReplayBudget } from './replay-budget';

/**
 * Time travel folds the log itself, never today's read models: the same pure
 * evolve functions the runners use, fed only the events that count "as of" an
 * instant (`countsAsOf`, shared with the timeline). A page is read in one
 * synchronous piece on the embedded store (about 2 ms for 500 events), which
 * is what a request arriving meanwhile may wait for, besides a slice.
 */
const PAGE = 500;

/** Which per-customer documents a population fold keeps. */
export type PopulationKinds = { readonly idic?: boolean; readonly kpiFacts?: boolean };

export type Population = {
  readonly idic: ReadonlyMap<string, IdicDocument>;
  readonly kpiFacts: ReadonlyMap<string, KpiFactsDocument>;
  /** The log position the fold read up to (the head when it started). */
  readonly position: number;
};

export type ReplayOptions = {
  /** Refuse a log longer than this (ReadTooLargeError); none by default. */
  readonly budget?: ReplayBudget;
  /** Shares the event loop while folding; a fresh Slicer by default. */
  readonly slicer?: Slicer;
};

/**
 * Every customer's documents at asOf, from one pass over the log, a page at a
 * time: memory holds the per-customer documents, never the events. The fold
 * gives the event loop a turn every slice, so requests go on meanwhile.
 * @throws ReadTooLargeError when the log is longer than the budget.
 */
export async function populationAt(
  store: EventStore,
  asOf: string,
  kinds: PopulationKinds,
  options: ReplayOptions = {},
): Promise<Population> {
  const { budget, slicer = new Slicer() } = options;
  const asOfMs = Date.parse(asOf);
  const idic = new Map<string, IdicDocument>();
  const kpiFacts = new Map<string, KpiFactsDocument>();
  const head = await store.headPosition();
  checkReplayHead(budget, head);
  let read = 0;
  for (let after = 0; after < head;) {
    const page = await store.readAll({ after, limit: PAGE, streamPrefix: CUSTOMER_STREAM_PREFIX });
    for (const recorded of page) {
      await slicer.tick();
      if (recorded.position > head) break;
      checkReplayRead(budget, ++read);
      const e = projectedAt(recorded, asOfMs);
      if (e === null) continue;
      const customerId = recorded.streamId.slice(CUSTOMER_STREAM_PREFIX.length);
      if (mergedAway(e.event, customerId)) {
        // Their history is the survivor's from here (merge/merged-history.ts).
        idic.delete(customerId);
        kpiFacts.delete(customerId);
        continue;
      }
      if (absorbs(e.event, customerId)) {
        const history = await mergedHistory(store, customerId, {
          upTo: e.position,
          counts: (event) => countsAsOf(event, asOfMs),
        });
        if (kinds.idic) replace(idic, customerId, foldIdic(null, history));
        if (kinds.kpiFacts) replace(kpiFacts, customerId, foldKpiFacts(null, history));
        continue;
      }
      if (kinds.idic) fold(idic, customerId, evolveIdic(idic.get(customerId) ?? null, e));
      if (kinds.kpiFacts) fold(kpiFacts, customerId, evolveKpiFacts(kpiFacts.get(customerId) ?? null, e));
    }
    const last = page[page.length - 1];
    if (last === undefined) break;
    after = last.position;
  }
  return { idic, kpiFacts, position: head };
}

function fold<D>(documents: Map<string, D>, customerId: string, doc: D | null): void {
  if (doc !== null) documents.set(customerId, doc);
}

function replace<D>(documents: Map<string, D>, customerId: string, doc: D | null): void {
  if (doc === null) documents.delete(customerId);
  else documents.set(customerId, doc);
}

/** The event as a projection sees it, or null when it does not count at asOf (or is not ours). */
function projectedAt(recorded: RecordedEvent, asOfMs: number): ProjectedEvent | null {
  if (!isCrmEventType(recorded.type) || !countsAsOf(recorded, asOfMs)) return null;
  return { event: toCrmEvent(recorded), position: recorded.position };
}
