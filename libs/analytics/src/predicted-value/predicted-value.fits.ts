import { ApiError } from '@crm/platform';
import { Slicer } from '@crm/platform/slicing';
import {
  CUSTOMER_PREDICTIONS_COLLECTION,
  type CustomerPredictionDocument,
  epochMs,
  type FitUnit,
  type PortfolioQueries,
  PREDICTED_VALUE_FITS_COLLECTION,
  PREDICTED_VALUE_UNIT,
  type PredictedValueFitDocument,
} from '@crm/projections';
import type { ReadStore, Write } from '@crm/read-store';
import { calibrationSummary, type CalibrationSummary } from './calibration';
import { DEFAULT_HORIZON_DAYS, fitModels, predict } from './predicted-value.fit';

export const NO_CUSTOMERS = 'PREDICTED_VALUE.NO_CUSTOMERS';
export const NO_FIT = 'PREDICTED_VALUE.NO_FIT';

export type FitRequest = { readonly calibrationEnd: string; readonly unit: FitUnit };

export type FitsOptions = {
  /** The log position the read models reflect (recorded with the fit). */
  readonly position: () => number;
  readonly now: () => Date;
};

/**
 * Fits the predicted-value models over the customer-portfolio read model
 * and stores the fit (one document) and each customer's prediction from it
 * (customer_predictions, replaced whole by every fit) in one commit of the
 * read store, under its own unit whose position counts fits. One fit at a
 * time per process: a second waits for the first.
 */
export class PredictedValueFits {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ReadStore,
    private readonly queries: PortfolioQueries,
    private readonly options: FitsOptions,
  ) {}

  fit(request: FitRequest): Promise<PredictedValueFitDocument> {
    const run = this.queue.then(() => this.fitNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fitNow({ calibrationEnd, unit }: FitRequest): Promise<PredictedValueFitDocument> {
    const started = Date.now();
    const logPosition = this.options.position();
    const end = epochMs(calibrationEnd);
    // The fit runs on the serving thread: every loop below gives the event loop a turn each slice.
    const slicer = new Slicer();
    const summaries: CalibrationSummary[] = [];
    for (const doc of await this.queries.purchaseHistories()) {
      const summary = calibrationSummary(doc, end, unit);
      if (summary !== null) summaries.push(summary);
      await slicer.tick();
    }
    if (summaries.length === 0)
      throw new ApiError(
        422,
        NO_CUSTOMERS,
        `No customer has a purchase before ${calibrationEnd}: nothing to fit`,
        [{ field: 'calibrationEnd', code: NO_CUSTOMERS, message: 'no purchase before the calibration end' }],
      );
    const models = await fitModels(summaries, calibrationEnd, unit, { tick: () => slicer.tick() });
    await this.queries.ensureFitCollections();
    const generation = (await this.store.checkpoint(PREDICTED_VALUE_UNIT)) + 1;
    const document: PredictedValueFitDocument = {
      id: models.fitId,
      position: generation,
      generation,
      calibrationEnd,
      unit,
      horizonDays: DEFAULT_HORIZON_DAYS,
      logPosition,
      ...models,
      fittedAt: this.options.now().toISOString(),
      durationMs: Date.now() - started,
    };
    const writes: Write[] = [{ kind: 'put', collection: PREDICTED_VALUE_FITS_COLLECTION, document }];
    const kept = new Set<string>();
    for (const summary of summaries) {
      // An erased customer counts in the fit (anonymous), never in a targeting list.
      if (summary.erased) continue;
      kept.add(summary.customerId);
      const prediction: CustomerPredictionDocument = {
        id: summary.customerId,
        position: generation,
        fitId: models.fitId,
        ...predict(models, summary, unit, DEFAULT_HORIZON_DAYS),
      };
      writes.push({ kind: 'put', collection: CUSTOMER_PREDICTIONS_COLLECTION, document: prediction });
      await slicer.tick();
    }
    for (const id of await this.queries.predictedCustomerIds())
      if (!kept.has(id))
        writes.push({
          kind: 'delete',
          collection: CUSTOMER_PREDICTIONS_COLLECTION,
          id,
          position: generation,
        });
    await this.store.commit({ projection: PREDICTED_VALUE_UNIT, position: generation, writes });
    return document;
  }

  async latest(): Promise<PredictedValueFitDocument> {
    const fit = await this.queries.latestFit();
    if (fit === null)
      throw new ApiError(404, NO_FIT, 'No predicted-value fit yet: POST /analytics/predicted-value/fit');
    return fit;
  }
}
