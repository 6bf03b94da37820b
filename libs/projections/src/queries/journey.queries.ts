import type { CustomerKind } from '@crm/domain';
import type { EventStore } from '@crm/event-store';
import {
  DEFAULT_LIMIT,
  InvalidQueryError,
  MAX_LIMIT,
  type ReadStore,
  type StoredDocument,
  UnknownCollectionError,
} from '@crm/read-store';
import type { ChannelCounts, JourneyDocument, JourneyStage, StageReached } from '../journey/journey.document';
import { journeyStatus, type JourneyStatus } from '../journey/journey.status';
import { JOURNEY_COLLECTION, journeyProjection } from '../runner/customer-projections';
import { DEAD_LETTER_COLLECTION, type DeadLetterDocument } from '../runner/dead-letter';
import type { AsOf, IsoInstant } from '../shared/instant';
import { customerHistory, timelinePage, type TimelinePage } from './customer-history';
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
  /** Timeline page size; default the read store's DEFAULT_LIMIT. */
  readonly limit?: number;
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

/**
 * The journey read model. The document holds every fact applied so far;
 * `asOf` only moves the derived `status` (time travel is the analytics
 * library's). The timeline is read from the customer's stream, bounded by
 * what the document reflects, so a page never shows an event the counters
 * leave out.
 */
export class JourneyQueries {
  private readonly options: ResolvedQueryOptions;

  constructor(
    private readonly store: ReadStore,
    private readonly events: EventStore,
    options?: QueryOptions,
  ) {
    this.options = resolveQueryOptions(options);
  }

  /** Null when the customer is unknown (never registered, or not projected yet). */
  async get(customerId: string, query: JourneyQuery = {}): Promise<JourneyView | null> {
    const asOf = asOfOrNow(query.asOf, this.options);
    const doc = await this.document(customerId);
    if (doc === null) return null;
    const timeline = await this.timelineOf(doc, query);
    return journeyViewOf(doc, asOf, this.options.churnWindowDays, timeline);
  }

  /** Stage and status alone, without reading the timeline; null for a customer not projected (yet). */
  async stageOf(
    customerId: string,
    asOf?: AsOf,
  ): Promise<{ readonly stage: JourneyStage; readonly status: JourneyStatus } | null> {
    const doc = await this.document(customerId);
    if (doc === null) return null;
    const at = asOfOrNow(asOf, this.options);
    return { stage: doc.stage, status: journeyStatus(doc, at, this.options.churnWindowDays) };
  }

  /** One page of the touchpoints; empty for an unknown customer. */
  async timeline(customerId: string, query: Omit<JourneyQuery, 'asOf'> = {}): Promise<TimelinePage> {
    const doc = await this.document(customerId);
    return doc === null ? { items: [], nextCursor: null } : this.timelineOf(doc, query);
  }

  private document(customerId: string): Promise<JourneyDocument | null> {
    return this.store.get<JourneyDocument & StoredDocument>(JOURNEY_COLLECTION, customerId);
  }

  private async timelineOf(doc: JourneyDocument, query: Omit<JourneyQuery, 'asOf'>): Promise<TimelinePage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new InvalidQueryError(`the limit must be an integer from 1 to ${MAX_LIMIT}`);
    const leftOut = await this.leftOut(doc.customerId);
    const history = await customerHistory(this.events, doc.customerId, {
      upToPosition: doc.position,
      leftOut,
    });
    return timelinePage(history?.timeline ?? [], query.cursor, limit);
  }

  /** The customer's events the journey projection left out: its open and skipped dead letters. */
  private async leftOut(customerId: string): Promise<Set<number>> {
    const positions = new Set<number>();
    const filter = { customerId, projection: journeyProjection.name, status: { $in: ['open', 'skipped'] } };
    try {
      for (let cursor: string | undefined; ;) {
        const page = await this.store.find<DeadLetterDocument & StoredDocument>(DEAD_LETTER_COLLECTION, {
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
}
