import type { CustomerKind } from '@crm/domain';
import {
  DEFAULT_LIMIT,
  type Filter,
  type FindOptions,
  InvalidQueryError,
  MAX_LIMIT,
  type ReadStore,
  type Sort,
  type StoredDocument,
} from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import {
  IDENTITY_INDEX_COLLECTION,
  NAME_PREFIX_FIELDS,
  type NamePrefixField,
} from '../identity-index/identity-index.document';
import type { ValueTier } from '../idic/idic.scores';
import { JOURNEY_STAGES, type JourneyDocument, type JourneyStage } from '../journey/journey.document';
import { journeyStatus, type JourneyStatus } from '../journey/journey.status';
import { IDIC_COLLECTION, JOURNEY_COLLECTION } from '../runner/customer-projections';
import type { AsOf, IsoInstant } from '../shared/instant';
import {
  asOfOrNow,
  type QueryOptions,
  resolveQueryOptions,
  type ResolvedQueryOptions,
} from './query-options';
import { tierFilter, tierOf, VALUE_TIERS, type ValueTierBounds, valueTierBounds } from './value-tier-bounds';
import { PORTFOLIO_FIT_SPECS } from '../portfolio/portfolio.queries';
import { CUSTOMER_PREDICTIONS_COLLECTION } from '../portfolio/predicted-value.document';

/** Sort keys; a leading `-` means descending. Ties are broken by customerId in the same direction. */
export const SEGMENT_SORTS = [
  'customerId',
  '-customerId',
  'netRevenue',
  '-netRevenue',
  'orders',
  '-orders',
  'registeredAt',
  '-registeredAt',
  'lastPurchaseAt',
  '-lastPurchaseAt',
  'predictedValue',
  '-predictedValue',
] as const;
export type SegmentSort = (typeof SEGMENT_SORTS)[number];

/**
 * One blind index entry a customer must hold (IdentityIndexDocument): the
 * HMAC of a normalised email or phone, or of a name prefix of 1 to
 * NAME_PREFIX_MAX characters. The caller computes it (BlindIndex); this
 * service never sees a value.
 */
export type IdentityMatch = {
  readonly field: 'email' | 'phone' | NamePrefixField;
  readonly entry: string;
};

export type SegmentQuery = {
  readonly valueTier?: ValueTier;
  readonly stage?: JourneyStage;
  readonly kind?: CustomerKind;
  /** The profile's segment, exactly. */
  readonly segment?: string;
  /** Only customers holding this blind index entry; sorted by customerId only. */
  readonly identity?: IdentityMatch;
  /** Default `customerId`. */
  readonly sort?: SegmentSort;
  /** 1…MAX_LIMIT of the read store; default its DEFAULT_LIMIT. */
  readonly limit?: number;
  /** `nextCursor` of the previous page, with the same sort. */
  readonly cursor?: string;
  /** The instant `status` is evaluated at; default: the service's clock. */
  readonly asOf?: AsOf;
};

/** One customer of a campaign segment. */
export type SegmentMember = {
  readonly customerId: string;
  readonly kind: CustomerKind;
  readonly segment: string | null;
  readonly stage: JourneyStage;
  readonly status: JourneyStatus;
  readonly valueTier: ValueTier;
  readonly netRevenue: number;
  readonly orders: number;
  readonly registeredAt: IsoInstant;
  readonly lastPurchaseAt: IsoInstant | null;
};

export type SegmentPage = {
  readonly items: SegmentMember[];
  /** Null on the last page. A page may hold fewer than `limit` items and still have a next one. */
  readonly nextCursor: string | null;
};

/** What a member is made of: a page reads these fields only (an idic document is ~5 KB, these ~100 bytes). */
const JOURNEY_FIELDS = [
  'customerId',
  'kind',
  'segment',
  'stage',
  'registeredAt',
  'lastPurchaseAt',
] as const satisfies readonly (keyof JourneyDocument)[];
const IDIC_FIELDS = ['orders', 'netRevenue'] as const satisfies readonly (keyof IdicDocument)[];

type Journey = Pick<JourneyDocument, (typeof JOURNEY_FIELDS)[number]> & StoredDocument;
type Idic = Pick<IdicDocument, (typeof IDIC_FIELDS)[number]> & StoredDocument;

const IDENTITY_FIELDS: readonly IdentityMatch['field'][] = ['email', 'phone', ...NAME_PREFIX_FIELDS];

/** How many pages of the paged collection one call reads at most to fill a page (see list). */
const MAX_ROUNDS = 10;

/** Which collection holds each sort field; `both` means journeys and idic agree on it. */
const SORT_HOME: Readonly<Record<string, 'journeys' | 'idic' | 'predictions' | 'both'>> = {
  id: 'both',
  lastPurchaseAt: 'both',
  netRevenue: 'idic',
  orders: 'idic',
  registeredAt: 'journeys',
  predictedValue: 'predictions',
};

/**
 * Campaign segments: customers by value tier and journey stage.
 *
 * The two filters live in two collections. `stage` is an indexed equality on
 * `journeys`; `valueTier` becomes, on `idic`, the customer's valueClass and
 * a netRevenue range (see valueTierBounds, read from the rank counters on
 * every call), shaped for the index of the sort (tierFilter).
 * One collection is paged with the store's keyset cursor, the one holding
 * the sort field (or else the one with a filter), and the other is joined by
 * getMany. A filter on the joined collection (both filters given, or a
 * filter on the other collection than the sort's), or a tier no index of
 * the sort serves (sorted by orders or lastPurchaseAt), is applied after
 * reading, so a call reads up to MAX_ROUNDS pages to fill `limit` and may
 * then return a short (even empty) page with a nextCursor: keep following it.
 * A customer present in only one collection (one projection briefly behind
 * the other) is left out until both have it.
 */
export type SegmentQueryOptions = QueryOptions & {
  /**
   * The log position the read models reflect (every event up to it applied).
   * Given, the value-tier bounds (two or three counter reads, ~1,500 values
   * each at 100,000 purchasers) are kept per position and shared by the
   * calls made meanwhile: they change only when an event is applied.
   */
  readonly position?: () => number;
};

export class CustomerSegments {
  private readonly options: ResolvedQueryOptions;
  private readonly position: (() => number) | undefined;
  private bounds: { readonly position: number; readonly bounds: Promise<ValueTierBounds> } | undefined;

  constructor(
    private readonly store: ReadStore,
    options: SegmentQueryOptions = {},
  ) {
    this.options = resolveQueryOptions(options);
    this.position = options.position;
  }

  async list(query: SegmentQuery = {}): Promise<SegmentPage> {
    const asOf = asOfOrNow(query.asOf, this.options);
    const limit = checkedQuery(query);
    const bounds = await this.tierBounds();
    const sort = sortOf(query.sort ?? 'customerId');
    const sortField = sort[0]?.field ?? 'id';
    const tier = query.valueTier === undefined ? undefined : tierFilter(query.valueTier, bounds, sortField);
    if (tier === null) return { items: [], nextCursor: null };
    const paged = pagedCollection(sort, query);
    const filter =
      paged === 'idic'
        ? tier
        : paged === 'journeys'
          ? journeyFilter(query)
          : paged === 'identity'
            ? identityFilter(query.identity)
            : undefined;
    const matches = (journey: Journey, idic: Idic): boolean =>
      (query.stage === undefined || journey.stage === query.stage) &&
      (query.kind === undefined || journey.kind === query.kind) &&
      (query.segment === undefined || journey.segment === query.segment) &&
      (query.valueTier === undefined || tierOf(idic, bounds) === query.valueTier);

    const items: SegmentMember[] = [];
    let cursor = query.cursor;
    for (let round = 0; round < MAX_ROUNDS && items.length < limit; round++) {
      const page = await this.joinedPage(paged, { filter, sort, limit: limit - items.length, cursor });
      for (const [journey, idic] of page.pairs) {
        if (journey && idic && matches(journey, idic)) items.push(this.member(journey, idic, bounds, asOf));
      }
      cursor = page.nextCursor ?? undefined;
      if (cursor === undefined) break;
    }
    return { items, nextCursor: cursor ?? null };
  }

  /** The bounds at the current position: read once per position, the calls meanwhile sharing the read. */
  private tierBounds(): Promise<ValueTierBounds> {
    const position = this.position?.();
    if (position === undefined) return valueTierBounds(this.store);
    if (this.bounds?.position === position) return this.bounds.bounds;
    const bounds = valueTierBounds(this.store);
    const entry = { position, bounds };
    this.bounds = entry;
    // A failed read is not kept; and bounds read while an event was applied belong to no one position.
    bounds.then(
      () => {
        if (this.position?.() !== position && this.bounds === entry) this.bounds = undefined;
      },
      () => {
        if (this.bounds === entry) this.bounds = undefined;
      },
    );
    return bounds;
  }

  /** One page of the paged collection, each customer's journey and idic beside it (if any). */
  private async joinedPage(paged: PagedCollection, options: FindOptions): Promise<JoinedPage> {
    if (paged === 'identity') {
      const page = await this.store.find(IDENTITY_INDEX_COLLECTION, options);
      const ids = idsOf(page.items);
      const [journeys, idics] = await Promise.all([
        this.store.getMany<Journey>(JOURNEY_COLLECTION, ids, { fields: JOURNEY_FIELDS }),
        this.store.getMany<Idic>(IDIC_COLLECTION, ids, { fields: IDIC_FIELDS }),
      ]);
      const journeyOf = byId(journeys);
      const idicOf = byId(idics);
      return { pairs: ids.map((id) => [journeyOf.get(id), idicOf.get(id)]), nextCursor: page.nextCursor };
    }
    if (paged === 'predictions') {
      // Customers of the latest predicted-value fit only (portfolio/predicted-value.document.ts).
      await this.store.ensureCollections(PORTFOLIO_FIT_SPECS);
      const page = await this.store.find(CUSTOMER_PREDICTIONS_COLLECTION, {
        ...options,
        fields: ['predictedValue'],
      });
      const ids = idsOf(page.items);
      const [journeys, idics] = await Promise.all([
        this.store.getMany<Journey>(JOURNEY_COLLECTION, ids, { fields: JOURNEY_FIELDS }),
        this.store.getMany<Idic>(IDIC_COLLECTION, ids, { fields: IDIC_FIELDS }),
      ]);
      const journeyOf = byId(journeys);
      const idicOf = byId(idics);
      return { pairs: ids.map((id) => [journeyOf.get(id), idicOf.get(id)]), nextCursor: page.nextCursor };
    }
    if (paged === 'idic') {
      const page = await this.store.find<Idic>(IDIC_COLLECTION, { ...options, fields: IDIC_FIELDS });
      const journeys = byId(
        await this.store.getMany<Journey>(JOURNEY_COLLECTION, idsOf(page.items), { fields: JOURNEY_FIELDS }),
      );
      return { pairs: page.items.map((idic) => [journeys.get(idic.id), idic]), nextCursor: page.nextCursor };
    }
    const page = await this.store.find<Journey>(JOURNEY_COLLECTION, { ...options, fields: JOURNEY_FIELDS });
    const idics = byId(
      await this.store.getMany<Idic>(IDIC_COLLECTION, idsOf(page.items), { fields: IDIC_FIELDS }),
    );
    return {
      pairs: page.items.map((journey) => [journey, idics.get(journey.id)]),
      nextCursor: page.nextCursor,
    };
  }

  private member(journey: Journey, idic: Idic, bounds: ValueTierBounds, asOf: IsoInstant): SegmentMember {
    return {
      customerId: journey.customerId,
      kind: journey.kind,
      segment: journey.segment,
      stage: journey.stage,
      status: journeyStatus(journey, asOf, this.options.churnWindowDays),
      valueTier: tierOf(idic, bounds),
      netRevenue: idic.netRevenue,
      orders: idic.orders,
      registeredAt: journey.registeredAt,
      lastPurchaseAt: journey.lastPurchaseAt,
    };
  }
}

/** Checks what the HTTP layer should already have checked; returns the page size. */
function checkedQuery(query: SegmentQuery): number {
  if (query.valueTier !== undefined && !VALUE_TIERS.includes(query.valueTier))
    throw new InvalidQueryError(`unknown value tier ${String(query.valueTier)}`);
  if (query.stage !== undefined && !JOURNEY_STAGES.includes(query.stage))
    throw new InvalidQueryError(`unknown journey stage ${String(query.stage)}`);
  if (query.sort !== undefined && !SEGMENT_SORTS.includes(query.sort))
    throw new InvalidQueryError(`unknown sort ${String(query.sort)}`);
  if (query.kind !== undefined && query.kind !== 'person' && query.kind !== 'company')
    throw new InvalidQueryError(`unknown customer kind ${String(query.kind)}`);
  if (query.identity !== undefined && query.sort !== undefined && !query.sort.endsWith('customerId'))
    throw new InvalidQueryError('customers found by a blind index entry are sorted by customerId only');
  if (query.identity !== undefined && !IDENTITY_FIELDS.includes(query.identity.field))
    throw new InvalidQueryError(`unknown identity index field ${String(query.identity.field)}`);
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new InvalidQueryError(`the limit must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

function sortOf(key: SegmentSort): Sort {
  const descending = key.startsWith('-');
  const field = descending ? key.slice(1) : key;
  return [{ field: field === 'customerId' ? 'id' : field, direction: descending ? 'desc' : 'asc' }];
}

type PagedCollection = 'journeys' | 'idic' | 'identity' | 'predictions';

/**
 * Page the identity index when an entry is asked for (few customers hold
 * one); else the collection of the sort (idic, or the latest fit's
 * customer_predictions for predictedValue, whose list is the customers
 * that fit covered), or idic when only the value tier filters; journeys
 * otherwise.
 */
function pagedCollection(sort: Sort, query: SegmentQuery): PagedCollection {
  if (query.identity !== undefined) return 'identity';
  const home = SORT_HOME[sort[0]?.field ?? 'id'] ?? 'both';
  if (home !== 'both') return home;
  const journeyFilters = query.stage ?? query.kind ?? query.segment;
  return query.valueTier !== undefined && journeyFilters === undefined ? 'idic' : 'journeys';
}

function journeyFilter(query: SegmentQuery): Filter | undefined {
  const filter: Record<string, string> = {};
  if (query.stage !== undefined) filter.stage = query.stage;
  if (query.kind !== undefined) filter.kind = query.kind;
  if (query.segment !== undefined) filter.segment = query.segment;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

function identityFilter(identity: IdentityMatch | undefined): Filter | undefined {
  return identity === undefined ? undefined : { [identity.field]: identity.entry };
}

type JoinedPage = {
  readonly pairs: readonly (readonly [Journey | undefined, Idic | undefined])[];
  readonly nextCursor: string | null;
};

function idsOf(docs: readonly StoredDocument[]): string[] {
  return docs.map((doc) => doc.id);
}

function byId<T extends StoredDocument>(docs: readonly T[]): Map<string, T> {
  return new Map(docs.map((doc) => [doc.id, doc]));
}
