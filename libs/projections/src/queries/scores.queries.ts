import type { ReadStore, StoredDocument } from '@crm/read-store';
import type { IdicDocument } from '../idic/idic.document';
import { idicView, type IdicRanks, type IdicView } from '../idic/idic.view';
import { IDIC_COLLECTION } from '../runner/customer-projections';
import type { AsOf } from '../shared/instant';
import { populationRanks } from './population-ranks';
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
 * population at query time with indexed counts (see populationRanks).
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
