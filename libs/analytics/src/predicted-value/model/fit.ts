import { type BgNbdParameters, BgNbdSample, type PurchaseSummary } from './bg-nbd';
import { type GammaGammaParameters, GammaGammaSample, type SpendSummary } from './gamma-gamma';
import { invertPositiveDefinite, minimise, numericalHessian } from './nelder-mead';

/** A maximum-likelihood fit: the parameters, ln L at them, and their standard errors (null when the information matrix is not positive definite). */
export type Estimate<P> = {
  readonly parameters: P;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly standardErrors: P | null;
};

/**
 * Maximises a log-likelihood over the logarithms of positive parameters
 * (Nelder–Mead with restarts), then takes standard errors from the observed
 * information at the optimum: Var(θ) ≈ θ² · Var(ln θ) (delta method).
 */
/** Options of a fit: `tick` is awaited between iterations (see MinimiseOptions). */
export type FitOptions = { readonly tick?: () => Promise<void> };

async function maximise<P>(
  logLikelihood: (params: P) => number,
  toParams: (values: readonly number[]) => P,
  start: readonly number[],
  options: FitOptions,
): Promise<Estimate<P>> {
  const total = (u: readonly number[]): number => logLikelihood(toParams(u.map(Math.exp)));
  const found = await minimise((u) => -total(u), start.map(Math.log), { tick: options.tick });
  const values = found.point.map(Math.exp);
  const covariance = invertPositiveDefinite(
    await numericalHessian((u) => -total(u), found.point, 1e-4, options.tick),
  );
  const errors = covariance?.map((row, i) => (values[i] ?? 0) * Math.sqrt(row[i] ?? Number.NaN)) ?? null;
  return {
    parameters: toParams(values),
    logLikelihood: -found.value,
    iterations: found.iterations,
    converged: found.converged,
    standardErrors: errors === null || errors.some((e) => !Number.isFinite(e)) ? null : toParams(errors),
  };
}

const bgNbdParams = ([r = 1, alpha = 1, a = 1, b = 1]: readonly number[]): BgNbdParameters => ({
  r,
  alpha,
  a,
  b,
});

/**
 * BG/NBD by maximum likelihood. The start is r = a = b = 1 and α = the mean
 * T (the scale of the time unit), so a fit in days and one in weeks start
 * alike.
 */
export function fitBgNbd(
  customers: readonly PurchaseSummary[],
  options: FitOptions = {},
): Promise<Estimate<BgNbdParameters>> {
  if (customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const meanT = customers.reduce((sum, c) => sum + c.T, 0) / customers.length;
  const sample = new BgNbdSample(customers);
  const start = [1, Math.max(meanT, 1e-3), 1, 1];
  return maximise((params: BgNbdParameters) => sample.logLikelihood(params), bgNbdParams, start, options);
}

const ggParams = ([p = 1, q = 1, gamma = 1]: readonly number[]): GammaGammaParameters => ({ p, q, gamma });

/** Gamma-Gamma by maximum likelihood; start p = 1, q = 2, γ = the mean of the customers' means (the value unit's scale). */
export function fitGammaGamma(
  customers: readonly SpendSummary[],
  options: FitOptions = {},
): Promise<Estimate<GammaGammaParameters>> {
  if (customers.length === 0) throw new RangeError('fitGammaGamma needs at least one customer');
  const meanValue = customers.reduce((sum, c) => sum + c.mean, 0) / customers.length;
  const sample = new GammaGammaSample(customers);
  const start = [1, 2, Math.max(meanValue, 1e-3)];
  return maximise((params: GammaGammaParameters) => sample.logLikelihood(params), ggParams, start, options);
}
