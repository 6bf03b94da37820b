import type { CustomerKind } from '@crm/domain';
import type { ReadStore, Sort, StoredDocument } from '@crm/read-store';
import type { ChannelCounts, JourneyDocument, JourneyStage, StageReached } from '../journey/journey.document';
import { journeyStatus, type JourneyStatus } from '../journey/journey.status';
import type { TimelineEntry } from '../journey/journey.timeline';
import { JOURNEY_COLLECTION, TIMELINE_COLLECTION } from '../runner/customer-projections';
import type { AsOf, IsoInstant } from '../shared/instant';
import {
  asOfOrNow,
  type QueryOptions,
  resolveQueryOptions,
  type ResolvedQueryOptions,
} from './query-options';

export type JourneyQuery = {
  /** The instant `status` is evaluated at; default: the service's clock. */
  readonly asOf?: AsOf;
  /** `timeline.nextCursor` of the previous page. */
  readonly cursor?: string;
  /** Timeline page size, 1…MAX_LIMIT of the read store; default its DEFAULT_LIMIT. */
  readonly limit?: number;
};

export type TimelinePage = {
  /** Ordered by occurredAt, then log position. */
  readonly items: TimelineEntry[];
  readonly nextCursor: string | null;
};

/** One customer's journey (domain.md) as the API returns it. */
export type JourneyView = {
  readonly customerId: string;
  readonly kind: CustomerKind;
  readonly segment: string | null;
  readonly asOf: IsoInstant;
  readonly stage: JourneyStage;
  readonly stageHistory: readonly StageReached[];
  readonly status: JourneyStatus;
  readonly registeredAt: IsoInstant;
  readonly firstTouchAt: IsoInstant | null;
  readonly lastTouchAt: IsoInstant | null;
  readonly touchpoints: number;
  readonly touchpointsByChannel: ChannelCounts;
  readonly firstPurchaseAt: IsoInstant | null;
  readonly lastPurchaseAt: IsoInstant | null;
  readonly daysToConvert: number | null;
  readonly timeline: TimelinePage;
};

/** The timeline's order; the read store appends the `id` tie-break (never needed: positions are unique). */
export const TIMELINE_SORT: Sort = [
  { field: 'occurredAt', direction: 'asc' },
  { field: 'position', direction: 'asc' },
];

type TimelineDocument = TimelineEntry & StoredDocument;

/**
 * The customer journey read model. The document holds every fact applied so
 * far; `asOf` only moves the derived `status`. Asking about an instant before
 * some of the events (time travel) is not supported yet: stage, history and
 * counters always include every event the projection has applied.
 */
/** The journey view of a document as of `asOf`: the live read and time travel answer in one shape. */
export function journeyViewOf(
  doc: JourneyDocument,
  asOf: string,
  churnWindowDays: number,
  timeline: JourneyView['timeline'],
): JourneyView {
  return {
    customerId: doc.customerId,
    kind: doc.kind,
    segment: doc.segment,
    asOf,
    stage: doc.stage,
    stageHistory: doc.stageHistory,
    status: journeyStatus(doc, asOf, churnWindowDays),
    registeredAt: doc.registeredAt,
    firstTouchAt: doc.firstTouchAt,
    lastTouchAt: doc.lastTouchAt,
    touchpoints: doc.touchpoints,
    touchpointsByChannel: doc.touchpointsByChannel,
    firstPurchaseAt: doc.firstPurchaseAt,
    lastPurchaseAt: doc.lastPurchaseAt,
    daysToConvert: doc.daysToConvert,
    timeline,
  };
}

export class JourneyQueries {
  private readonly options: ResolvedQueryOptions;

  constructor(
    private readonly store: ReadStore,
    options?: QueryOptions,
  ) {
    this.options = resolveQueryOptions(options);
  }

  /** Null when the customer is unknown (never registered, or not projected yet). */
  async get(customerId: string, query: JourneyQuery = {}): Promise<JourneyView | null> {
    const asOf = asOfOrNow(query.asOf, this.options);
    const doc = await this.store.get<JourneyDocument & StoredDocument>(JOURNEY_COLLECTION, customerId);
    if (doc === null) return null;
    const timeline = await this.timeline(customerId, query);
    return journeyViewOf(doc, asOf, this.options.churnWindowDays, timeline);
  }

  /**
   * One page of the touchpoints. The filter uses the (customerId, id) index;
   * SQLite then sorts the customer's entries, which stays cheap because a
   * timeline is one customer's history.
   */
  async timeline(customerId: string, query: Omit<JourneyQuery, 'asOf'> = {}): Promise<TimelinePage> {
    const page = await this.store.find<TimelineDocument>(TIMELINE_COLLECTION, {
      filter: { customerId },
      sort: TIMELINE_SORT,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items, nextCursor: page.nextCursor };
  }
}
