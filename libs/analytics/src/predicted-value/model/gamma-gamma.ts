import { lnGamma } from './special-functions';

/** Bound once: a global lookup of Math per call is slow in a sandboxed context (Jest's). */
const { log } = Math;

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves"): a customer with `x` repeat purchase days of mean value
 * `mean` (minor units, > 0).
 */
export type SpendSummary = { readonly x: number; readonly mean: number };

export type GammaGammaParameters = { readonly p: number; readonly q: number; readonly gamma: number };

/**
 * ln f(m̄ | p, q, γ, x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ
 * + (px−1) ln m̄ + px ln x − (px+q) ln(γ + x·m̄).
 */
export function gammaGammaLogLikelihood(g: GammaGammaParameters, s: SpendSummary): number {
  const px = g.p * s.x;
  return (
    lnGamma(px + g.q) -
    lnGamma(px) -
    lnGamma(g.q) +
    g.q * log(g.gamma) +
    (px - 1) * log(s.mean) +
    px * log(s.x) -
    (px + g.q) * log(g.gamma + s.x * s.mean)
  );
}

/**
 * E(M | p, q, γ, m̄, x) = p(γ + x·m̄) / (px + q − 1): the customer's expected
 * value per purchase day, a weighted mean of the population mean pγ/(q−1)
 * and their own m̄. Without a repeat purchase (x = 0) the population mean.
 */
export function expectedAverageValue(g: GammaGammaParameters, s: SpendSummary): number {
  return (g.p * (g.gamma + s.x * s.mean)) / (g.p * s.x + g.q - 1);
}
