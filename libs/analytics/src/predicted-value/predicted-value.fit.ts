import { createHash } from 'node:crypto';
import type { BgNbdFit, CustomerPrediction, FitUnit, GammaGammaFit } from '@crm/projections';
import { type CalibrationSummary, UNIT_DAYS } from './calibration';
import { type BgNbdParameters, expectedPurchases, probabilityAlive } from './model/bg-nbd';
import { fitBgNbd, fitGammaGamma, type FitOptions } from './model/fit';
import { expectedAverageValue, type GammaGammaParameters } from './model/gamma-gamma';

/** The horizon of the stored predictions (`expectedPurchases365d`), in days. */
export const DEFAULT_HORIZON_DAYS = 365;

export type ModelFit = {
  readonly fitId: string;
  readonly bgnbd: BgNbdFit;
  readonly gammaGamma: GammaGammaFit | null;
  readonly customers: number;
  readonly customersWithRepeat: number;
};

/** Bumped when a change of the model code may change a fit's numbers: part of every fitId. */
const MODEL_REVISION = 1;

/**
 * Fits BG/NBD over every summary and Gamma-Gamma over those with a repeat
 * purchase day and a positive mean repeat value (its likelihood needs
 * m̄ > 0). The fitId is a digest of the inputs (calibration end, unit, every
 * summary in customerId order, the model revision): the same log and
 * calibration end give the same id and the same numbers.
 */
export async function fitModels(
  summaries: readonly CalibrationSummary[],
  calibrationEnd: string,
  unit: FitUnit,
  options: FitOptions = {},
): Promise<ModelFit> {
  const sorted = [...summaries].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0,
  );
  const hash = createHash('sha256').update(`${MODEL_REVISION}|${calibrationEnd}|${unit}`);
  for (const s of sorted) hash.update(`|${s.customerId}:${s.x}:${s.tx}:${s.T}:${s.meanRepeatValue ?? ''}`);
  const fitId = `fit-${hash.digest('hex').slice(0, 24)}`;
  const bg = await fitBgNbd(sorted, options);
  const spenders = sorted.flatMap((s) =>
    s.x > 0 && s.meanRepeatValue !== null && s.meanRepeatValue > 0
      ? [{ x: s.x, mean: s.meanRepeatValue }]
      : [],
  );
  const gg = spenders.length === 0 ? null : await fitGammaGamma(spenders, options);
  return {
    fitId,
    bgnbd: {
      ...bg.parameters,
      logLikelihood: bg.logLikelihood,
      iterations: bg.iterations,
      converged: bg.converged,
      customers: sorted.length,
      standardErrors: bg.standardErrors,
    },
    gammaGamma:
      gg === null
        ? null
        : {
            ...gg.parameters,
            logLikelihood: gg.logLikelihood,
            iterations: gg.iterations,
            converged: gg.converged,
            customers: spenders.length,
            standardErrors: gg.standardErrors,
          },
    customers: sorted.length,
    customersWithRepeat: sorted.filter((s) => s.x > 0).length,
  };
}

/**
 * One customer's numbers under a fit: P(alive), purchases expected over
 * the horizon (in days, converted to the fit's unit), the expected value
 * per purchase day (their own mean shrunk to the population's; the
 * population mean for a customer without a usable repeat value) and
 * predictedValue = expected purchases × expected average value (minor
 * units). No Gamma-Gamma fit, or one with q ≤ 1 (no finite mean): value
 * figures are null.
 */
export function predict(
  fit: Pick<ModelFit, 'bgnbd' | 'gammaGamma'>,
  s: Pick<CalibrationSummary, 'x' | 'tx' | 'T' | 'meanRepeatValue'>,
  unit: FitUnit,
  horizonDays: number,
): CustomerPrediction {
  const bg: BgNbdParameters = fit.bgnbd;
  const expected = expectedPurchases(bg, s, horizonDays / UNIT_DAYS[unit]);
  const gg: GammaGammaParameters | null = fit.gammaGamma;
  const spend =
    gg === null || !(gg.q > 1)
      ? null
      : s.meanRepeatValue !== null && s.meanRepeatValue > 0
        ? expectedAverageValue(gg, { x: s.x, mean: s.meanRepeatValue })
        : expectedAverageValue(gg, { x: 0, mean: 0 });
  return {
    x: s.x,
    tx: s.tx,
    T: s.T,
    probabilityAlive: probabilityAlive(bg, s),
    expectedPurchases: expected,
    expectedAverageValue: spend,
    predictedValue: spend === null ? null : expected * spend,
  };
}
