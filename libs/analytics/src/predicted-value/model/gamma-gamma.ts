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

/** Customers prepared for Σ ln f: ln m̄ and ln x once, the log-gammas once per distinct x. */
export class GammaGammaSample {
  private readonly x: Float64Array;
  private readonly mean: Float64Array;
  private readonly lnMean: Float64Array;
  private readonly lnX: Float64Array;
  private readonly xIndex: Uint32Array;
  private readonly distinctX: Float64Array;
  private readonly countOfX: Float64Array;

  constructor(customers: readonly SpendSummary[]) {
    const xs = [...new Set(customers.map((c) => c.x))];
    const xPosition = new Map(xs.map((x, i) => [x, i] as const));
    this.x = Float64Array.from(customers, (c) => c.x);
    this.mean = Float64Array.from(customers, (c) => c.mean);
    this.lnMean = Float64Array.from(customers, (c) => log(c.mean));
    this.lnX = Float64Array.from(customers, (c) => log(c.x));
    this.xIndex = Uint32Array.from(customers, (c) => xPosition.get(c.x) ?? 0);
    this.distinctX = Float64Array.from(xs);
    this.countOfX = new Float64Array(xs.length);
    for (const i of this.xIndex) this.countOfX[i] = (this.countOfX[i] ?? 0) + 1;
  }

  /** Σ over the customers of gammaGammaLogLikelihood. */
  logLikelihood(g: GammaGammaParameters): number {
    const lnGammaScale = log(g.gamma);
    let sum = 0;
    for (let k = 0; k < this.distinctX.length; k++) {
      const px = g.p * (this.distinctX[k] as number);
      sum +=
        (this.countOfX[k] as number) * (lnGamma(px + g.q) - lnGamma(px) - lnGamma(g.q) + g.q * lnGammaScale);
    }
    for (let i = 0; i < this.x.length; i++) {
      const x = this.x[i] as number;
      const px = g.p * x;
      sum +=
        (px - 1) * (this.lnMean[i] as number) +
        px * (this.lnX[i] as number) -
        (px + g.q) * log(g.gamma + x * (this.mean[i] as number));
    }
    return sum;
  }
}
