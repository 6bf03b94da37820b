import type { StoredDocument } from '@crm/read-store';

/** Fits, one document each (id = fitId); the latest by `generation`. */
export const PREDICTED_VALUE_FITS_COLLECTION = 'predicted_value_fits';
/** Each customer's prediction from the latest fit (id = customerId), indexed for targeting by value. */
export const CUSTOMER_PREDICTIONS_COLLECTION = 'customer_predictions';
/** The read-store unit the fits are committed under: its position counts fits, not log events. */
export const PREDICTED_VALUE_UNIT = 'predicted-value';

export type FitUnit = 'day' | 'week';

export type Estimated<P> = P & {
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly customers: number;
  readonly standardErrors: P | null;
};

export type BgNbdFit = Estimated<{
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}>;
export type GammaGammaFit = Estimated<{ readonly p: number; readonly q: number; readonly gamma: number }>;

export type PredictedValueFitDocument = StoredDocument & {
  readonly fitId: string;
  /** Fits committed before this one, plus one: the latest is the highest. */
  readonly generation: number;
  readonly calibrationEnd: string;
  readonly unit: FitUnit;
  /** The horizon the stored predictions use, in days. */
  readonly horizonDays: number;
  /** The log position the read model reflected when the fit read it. */
  readonly logPosition: number;
  readonly bgnbd: BgNbdFit;
  /** Null when no customer had a repeat purchase day of positive value. */
  readonly gammaGamma: GammaGammaFit | null;
  readonly customers: number;
  readonly customersWithRepeat: number;
  readonly fittedAt: string;
  readonly durationMs: number;
};

/** One customer's numbers under a fit. */
export type CustomerPrediction = {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly probabilityAlive: number;
  readonly expectedPurchases: number;
  readonly expectedAverageValue: number | null;
  readonly predictedValue: number | null;
};

export type CustomerPredictionDocument = StoredDocument & CustomerPrediction & { readonly fitId: string };
