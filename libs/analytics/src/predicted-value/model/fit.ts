import { type BgNbdParameters, bgNbdLogLikelihood, type PurchaseSummary } from './bg-nbd';
import { type GammaGammaParameters, gammaGammaLogLikelihood, type SpendSummary } from './gamma-gamma';
import { invertPositiveDefinite, minimise, numericalHessian } from './nelder-mead';

/** A maximum-likelihood fit: the parameters, ln L at them, and their standard errors (null when the information matrix is not positive definite). */
export type Estimate<P> = {
  readonly parameters: P;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly standardErrors: P | null;
};

/** Customers with the same summary share one likelihood term, weighted by their count. */
type Weighted<S> = { readonly summary: S; readonly count: number };

function grouped<S>(items: readonly S[], key: (s: S) => string): Weighted<S>[] {
  const groups = new Map<string, { summary: S; count: number }>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.count += 1;
    else groups.set(k, { summary: item, count: 1 });
  }
  // Map order is insertion order: the sum is the same for the same input order.
  return [...groups.values()];
}

/**
 * Maximises a log-likelihood over the logarithms of positive parameters
 * (Nelder–Mead with restarts), then takes standard errors from the observed
 * information at the optimum: Var(θ) ≈ θ² · Var(ln θ) (delta method).
 */
function maximise<S, P>(
  groups: readonly Weighted<S>[],
  logLikelihood: (params: P, summary: S) => number,
  toParams: (values: readonly number[]) => P,
  start: readonly number[],
): Estimate<P> {
  const total = (u: readonly number[]): number => {
    const params = toParams(u.map(Math.exp));
    let sum = 0;
    for (const { summary, count } of groups) sum += count * logLikelihood(params, summary);
    return sum;
  };
  const found = minimise((u) => -total(u), start.map(Math.log));
  const values = found.point.map(Math.exp);
  const covariance = invertPositiveDefinite(numericalHessian((u) => -total(u), found.point));
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
export function fitBgNbd(customers: readonly PurchaseSummary[]): Estimate<BgNbdParameters> {
  if (customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const meanT = customers.reduce((sum, c) => sum + c.T, 0) / customers.length;
  return maximise(
    grouped(customers, (c) => `${c.x}:${c.tx}:${c.T}`),
    bgNbdLogLikelihood,
    bgNbdParams,
    [1, Math.max(meanT, 1e-3), 1, 1],
  );
}

const ggParams = ([p = 1, q = 1, gamma = 1]: readonly number[]): GammaGammaParameters => ({ p, q, gamma });

/** Gamma-Gamma by maximum likelihood; start p = 1, q = 2, γ = the mean of the customers' means (the value unit's scale). */
export function fitGammaGamma(customers: readonly SpendSummary[]): Estimate<GammaGammaParameters> {
  if (customers.length === 0) throw new RangeError('fitGammaGamma needs at least one customer');
  const meanValue = customers.reduce((sum, c) => sum + c.mean, 0) / customers.length;
  return maximise(
    grouped(customers, (c) => `${c.x}:${c.mean}`),
    gammaGammaLogLikelihood,
    ggParams,
    [1, 2, Math.max(meanValue, 1e-3)],
  );
}
