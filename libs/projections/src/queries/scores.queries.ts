import { absorbs, mergedAway, mergedHistory, mergedSince } from '../merge/merged-history';
import { customerStreamId, isCrmEventType, toCrmEvent } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import { type ReadStore, type StoredDocument, UnknownCollectionError } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { foldIdic } from '../idic/idic.projection';
import { idicView, type IdicRanks, type IdicView } from '../idic/idic.view';
import {
  IDIC_RANK_HISTORY_COLLECTION,
  RANK_HISTORY_LAYOUT_COUNTER,
  RANK_HISTORY_META_SET,
} from '../idic/ranks/rank-counters';
import { historyRankQuery } from '../idic/ranks/rank-reads';
import { DEAD_LETTER_COLLECTION, type DeadLetterDocument } from '../runner/dead-letter';
import { IDIC_COLLECTION, idicProjection } from '../runner/customer-projections';
import { type AsOf, DAY_MS, epochMs, type IsoInstant } from '../shared/instant';
import type { ProjectedEvent } from '../shared/projected-event';
import { clampedRanks, populationRanks } from './population-ranks';
import {
  asOfOrNow,
  type QueryOptions,
  resolveQueryOptions,
  type ResolvedQueryOptions,
} from './query-options';

/** The IDIC view plus the ranks it was scored from (null for a prospect), so a score can be explained. */
export type ScoresView = IdicView & { readonly ranks: IdicRanks | null };

/** For a prospect the view needs a population size only; it scores nothing. */
const UNRANKED: IdicRanks = { recencyLower: 0, frequencyLower: 0, monetaryLower: 0, purchasers: 0 };

/**
 * IDIC scores of one customer at asOf, ranked against the whole purchaser
 * population at query time from the rank counters (see populationRanks).
 */
export class ScoresQueries {
  private readonly options: ResolvedQueryOptions;

  constructor(
    private readonly store: ReadStore,
    options?: QueryOptions,
  ) {
    this.options = resolveQueryOptions(options);
  }

  /** Null when the customer is unknown. */
  async get(customerId: string, asOf?: AsOf): Promise<ScoresView | null> {
    const at = asOfOrNow(asOf, this.options);
    const doc = await this.store.get<IdicDocument & StoredDocument>(IDIC_COLLECTION, customerId);
    if (doc === null) return null;
    const ranks = await populationRanks(this.store, doc, at);
    return { ...idicView(doc, at, ranks ?? UNRANKED), ranks };
  }
}

/**
 * IDIC scores as they stood at the start of a UTC day (time travel: the
 * events that occurred before asOf), from the customer's own stream and the
 * time-indexed rank counters (idic_rank_history), without folding anyone
 * else's events.
 *
 * It answers for what the idic projection has applied: the customer's
 * events up to their document's position, less the projection's open or
 * skipped dead letters, ranked among the other customers as the counters
 * hold them. Undefined when it cannot answer, for the caller to fold the log
 * instead: asOf is not the start of a UTC day (the counters step by whole
 * days), or the projection does not know the customer (yet). Null when the
 * customer was not registered before asOf.
 */
export async function scoresAsOfDay(
  events: EventStore,
  store: ReadStore,
  customerId: string,
  asOf: IsoInstant,
): Promise<ScoresView | null | undefined> {
  const asOfMs = epochMs(asOf);
  if (asOfMs % DAY_MS !== 0) return undefined;
  const live = await store.get<IdicDocument & StoredDocument>(IDIC_COLLECTION, customerId);
  if (live === null || !(await rankHistoryOfThisLayout(store))) return undefined;
  if (await mergedSince(events, asOfMs)) return undefined;
  const leftOut = await deadLetterPositions(store, customerId);
  const doc = await idicFromStream(events, customerId, (e) => {
    return e.position <= live.position && !leftOut.has(e.position) && epochMs(e.event.occurredAt) < asOfMs;
  });
  if (doc === null) return null;
  if (doc.orders < 1 || doc.lastPurchaseAt === null) return { ...idicView(doc, asOf, UNRANKED), ranks: null };
  const own = { netRevenue: doc.netRevenue, orders: doc.orders, lastPurchaseMs: epochMs(doc.lastPurchaseAt) };
  const day = asOfMs / DAY_MS;
  const query = historyRankQuery(day, own);
  const ranks = clampedRanks(
    query.ranksFrom(await store.sumCounters(IDIC_RANK_HISTORY_COLLECTION, query.sums)),
  );
  return { ...idicView(doc, asOf, ranks), ranks };
}

/**
 * Whether every customer in idic_rank_history was counted under this code's
 * layout: counters of an older one (which kept no meta set, or another
 * layout's counter) are not read as this one's; until idic-scores is
 * rebuilt the caller folds the log instead.
 */
async function rankHistoryOfThisLayout(store: ReadStore): Promise<boolean> {
  const [meta] = await store.getCounters(IDIC_RANK_HISTORY_COLLECTION, [RANK_HISTORY_META_SET]);
  const counters = [...(meta?.counters ?? [])];
  return counters.length > 0 && counters.every(([name]) => name === RANK_HISTORY_LAYOUT_COUNTER);
}

const STREAM_PAGE = 1000;

/** The customer's IDIC document folded from the events of their stream that `counts` keeps, in log order. */
async function idicFromStream(
  events: EventStore,
  customerId: string,
  counts: (e: ProjectedEvent) => boolean,
): Promise<IdicDocument | null> {
  const kept: ProjectedEvent[] = [];
  for (let fromRevision = 0; ;) {
    const page = await events.readStream(customerStreamId(customerId), { fromRevision, limit: STREAM_PAGE });
    for (const recorded of page) {
      if (!isCrmEventType(recorded.type)) continue;
      const e: ProjectedEvent = { event: toCrmEvent(recorded), position: recorded.position };
      if (counts(e)) kept.push(e);
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < STREAM_PAGE) break;
    fromRevision = last.revision + 1;
  }
  // Merged into another customer: no scores of its own any more (the survivor has them).
  if (kept.some((e) => mergedAway(e.event, customerId))) return null;
  if (!kept.some((e) => absorbs(e.event, customerId))) return foldIdic(null, kept);
  const history = await mergedHistory(events, customerId, {
    counts: (recorded) => counts({ event: toCrmEvent(recorded), position: recorded.position }),
  });
  return foldIdic(null, history);
}

/** The customer's events the idic projection left out: its open and skipped dead letters. */
async function deadLetterPositions(store: ReadStore, customerId: string): Promise<Set<number>> {
  const positions = new Set<number>();
  const filter = { customerId, projection: idicProjection.name, status: { $in: ['open', 'skipped'] } };
  try {
    for (let cursor: string | undefined; ;) {
      const page = await store.find<DeadLetterDocument & StoredDocument>(DEAD_LETTER_COLLECTION, {
        filter,
        cursor,
      });
      page.items.forEach((letter) => positions.add(letter.position));
      if (page.nextCursor === null) return positions;
      cursor = page.nextCursor;
    }
  } catch (error) {
    // No runner ever prepared this store, so it holds no letters.
    if (error instanceof UnknownCollectionError) return positions;
    throw error;
  }
}
