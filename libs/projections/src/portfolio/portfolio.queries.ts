import type { ReadStore } from '@crm/read-store';
import { readAll } from '../queries/read-all';
import { COHORT_SIZE, monthId, monthIndex, monthOfId, retentionCounter } from './cohort-counters';
import {
  CUSTOMER_PREDICTIONS_COLLECTION,
  type CustomerPredictionDocument,
  PREDICTED_VALUE_FITS_COLLECTION,
  type PredictedValueFitDocument,
} from './predicted-value.document';
import {
  COHORT_COUNTERS_COLLECTION,
  PURCHASE_HISTORY_COLLECTION,
  type PurchaseHistoryDocument,
} from './purchase-history.document';

export type CohortRow = {
  /** The cohort: the UTC month of its customers' first purchase (`YYYY-MM`). */
  readonly cohort: string;
  readonly size: number;
  /** retention[k]: share of the cohort with a purchase in month cohort+k; null for a month not begun at `asOf`. */
  readonly retention: readonly (number | null)[];
};

export type CohortQuery = {
  /** First cohort month (inclusive), `YYYY-MM`. */
  readonly from: string;
  /** Last cohort month (exclusive), `YYYY-MM`. */
  readonly to: string;
  /** How many month offsets (k = 0 … months − 1). */
  readonly months: number;
  readonly asOf: Date;
};

export type FitSource = { readonly fitId: string; readonly calibrationEnd: string };

const MAX_SOURCES = 100;

export const PORTFOLIO_FIT_SPECS = [
  { name: PREDICTED_VALUE_FITS_COLLECTION, indexes: ['generation'] },
  { name: CUSTOMER_PREDICTIONS_COLLECTION, indexes: ['predictedValue', 'probabilityAlive'] },
] as const;

/** Reads of portfolio analysis: cohort tables from counters, purchase histories for a fit, and the latest fit. */
export class PortfolioQueries {
  private ensured: Promise<void> | null = null;
  /** Where each fit a prediction names came from: fixed by its id (a digest of its inputs), so kept. */
  private readonly sources = new Map<string, FitSource>();

  constructor(private readonly store: ReadStore) {}

  async cohorts(query: CohortQuery): Promise<CohortRow[]> {
    const sets = await this.store.rangeCounters(COHORT_COUNTERS_COLLECTION, {
      from: query.from,
      to: query.to,
    });
    const current = monthIndex(query.asOf.getTime());
    return sets
      .map((set) => {
        const size = set.counters.get(COHORT_SIZE) ?? 0;
        const cohort = monthOfId(set.id);
        const retention = Array.from({ length: query.months }, (_, k) =>
          cohort + k > current || size === 0 ? null : (set.counters.get(retentionCounter(k)) ?? 0) / size,
        );
        return { cohort: monthId(cohort), size, retention };
      })
      .filter((row) => row.size > 0);
  }

  purchaseHistories(): Promise<PurchaseHistoryDocument[]> {
    return readAll(this.store, PURCHASE_HISTORY_COLLECTION);
  }

  async latestFit(): Promise<PredictedValueFitDocument | null> {
    await this.ensureFitCollections();
    const page = await this.store.find<PredictedValueFitDocument>(PREDICTED_VALUE_FITS_COLLECTION, {
      sort: [{ field: 'generation', direction: 'desc' }],
      limit: 1,
    });
    return page.items[0] ?? null;
  }

  async fit(fitId: string): Promise<PredictedValueFitDocument | null> {
    await this.ensureFitCollections();
    return this.store.get<PredictedValueFitDocument>(PREDICTED_VALUE_FITS_COLLECTION, fitId);
  }

  /** The fitId and calibration end of a fit, read once per fit (a scores read asks on every call). */
  async fitSource(fitId: string): Promise<FitSource | null> {
    const known = this.sources.get(fitId);
    if (known !== undefined) return known;
    const fit = await this.fit(fitId);
    if (fit === null) return null;
    if (this.sources.size >= MAX_SOURCES) this.sources.clear();
    const source = { fitId: fit.fitId, calibrationEnd: fit.calibrationEnd };
    this.sources.set(fitId, source);
    return source;
  }

  async prediction(customerId: string): Promise<CustomerPredictionDocument | null> {
    await this.ensureFitCollections();
    return this.store.get<CustomerPredictionDocument>(CUSTOMER_PREDICTIONS_COLLECTION, customerId);
  }

  /** Every prediction of the latest fit, in customerId order. */
  async predictions(): Promise<CustomerPredictionDocument[]> {
    await this.ensureFitCollections();
    return readAll(this.store, CUSTOMER_PREDICTIONS_COLLECTION);
  }

  /** The customers the latest fit stored a prediction for. */
  async predictedCustomerIds(): Promise<string[]> {
    await this.ensureFitCollections();
    return (await readAll(this.store, CUSTOMER_PREDICTIONS_COLLECTION)).map((doc) => doc.id);
  }

  /** The fits' collections are no projection's: they are made on first use. */
  ensureFitCollections(): Promise<void> {
    this.ensured ??= this.store.ensureCollections(PORTFOLIO_FIT_SPECS);
    return this.ensured;
  }
}
