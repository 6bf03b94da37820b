import { hyp2f1, integrate, lnBeta, lnGamma, logAddExp } from './special-functions';

/** Bound once: a global lookup of Math per call is slow in a sandboxed context (Jest's). */
const { log, exp, expm1, log1p, max, min, sqrt } = Math;

/** Beyond this many 2F1 terms the integral over p is cheaper (very large a or b: a fit on few customers). */
const SERIES_TERMS = 20_000;

/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
 * A customer's purchase history as the model sees it, in the fit's unit:
 * `x` repeat purchases, the last at `tx`, observed for `T` since the first.
 */
export type PurchaseSummary = { readonly x: number; readonly tx: number; readonly T: number };

export type BgNbdParameters = {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
};

/**
 * ln L(r, α, a, b | x, t_x, T), the paper's equation (6) in log space:
 * ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 * + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x) ].
 * Every power is a logarithm, so a customer with thousands of purchases
 * neither overflows nor underflows.
 */
export function bgNbdLogLikelihood(p: BgNbdParameters, c: PurchaseSummary): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const head =
    lnGamma(r + x) -
    lnGamma(r) +
    r * log(alpha) +
    lnGamma(a + b) +
    lnGamma(b + x) -
    lnGamma(b) -
    lnGamma(a + b + x);
  const survived = -(r + x) * log(alpha + T);
  const droppedOut = x > 0 ? log(a) - log(b + x - 1) - (r + x) * log(alpha + tx) : Number.NEGATIVE_INFINITY;
  return head + logAddExp(survived, droppedOut);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 * 1 for a customer without a repeat purchase (the model lets a customer drop
 * out only right after a purchase); (b+x−1)/(b+x−1+a) when the last purchase
 * is at T.
 */
export function probabilityAlive(p: BgNbdParameters, c: PurchaseSummary): number {
  if (c.x === 0) return 1;
  const lnOdds = log(p.a) - log(p.b + c.x - 1) + (p.r + c.x) * (log(p.alpha + c.T) - log(p.alpha + c.tx));
  return 1 / (1 + exp(lnOdds));
}

/**
 * E[Y(t) | x, t_x, T], the paper's equation (10): purchases expected in the
 * next `t` units,
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] · P(alive),
 * z = t/(α+T+t). Euler's transformation turns the product of the power and
 * the 2F1 into (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z): its first two
 * parameters no longer grow with x, so many purchases cannot overflow it.
 */
export function expectedPurchases(p: BgNbdParameters, c: PurchaseSummary, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + c.T + t);
  let series: number;
  try {
    series = hyp2f1(a + b - 1 - r, a - 1, a + b + c.x - 1, z, SERIES_TERMS);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return expectedPurchasesByIntegral(p, c, t);
  }
  const tail = exp((a - 1) * log1p(-z)) * series;
  return ((a + b + c.x - 1) / (a - 1)) * (1 - tail) * probabilityAlive(p, c);
}

/**
 * The same expectation without 2F1: given alive, λ | data ~ Gamma(r+x, α+T)
 * and p | data ~ Beta(a, b+x), and E[Y(t) | λ, p] = (1 − e^(−λpt))/p, so
 * E[Y(t) | x, t_x, T] = P(alive) · E_p[(1 − (1 + pt/(α+T))^−(r+x)) / p],
 * integrated over p numerically (the mass of p only: ±40 standard deviations;
 * for a < 1, after p = w^(1/a), which takes away the p^(a−1) pole at 0).
 */
export function expectedPurchasesByIntegral(p: BgNbdParameters, c: PurchaseSummary, t: number): number {
  if (t <= 0) return 0;
  const shape = p.r + c.x;
  const scale = p.alpha + c.T;
  const alpha = p.a;
  const beta = p.b + c.x;
  const lnNorm = -lnBeta(alpha, beta);
  const perPurchase = (q: number): number =>
    q === 0 ? (shape * t) / scale : -expm1(-shape * log1p((q * t) / scale)) / q;
  const mean = alpha / (alpha + beta);
  const sd = sqrt((alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1)));
  const hi = min(1, mean + 40 * sd);
  let expected: number;
  if (alpha < 1) {
    const density = (w: number): number => {
      const q = w ** (1 / alpha);
      return q >= 1 ? 0 : (exp(lnNorm + (beta - 1) * log1p(-q)) / alpha) * perPurchase(q);
    };
    expected = integrate(density, 0, hi ** alpha);
  } else {
    const lo = max(0, mean - 40 * sd);
    const density = (q: number): number =>
      q <= 0 || q >= 1 ? 0 : exp(lnNorm + (alpha - 1) * log(q) + (beta - 1) * log1p(-q)) * perPurchase(q);
    expected = integrate(density, lo, hi);
  }
  return expected * probabilityAlive(p, c);
}

/**
 * Customers prepared for Σ ln L: the terms that depend on x alone (the
 * log-gammas) are computed once per distinct x, the rest once per distinct
 * (x, t_x, T) with its count, in typed arrays.
 */
export class BgNbdSample {
  private readonly x: Float64Array;
  private readonly tx: Float64Array;
  private readonly T: Float64Array;
  private readonly count: Float64Array;
  /** Index of each row's x in `distinctX`. */
  private readonly xIndex: Uint32Array;
  private readonly distinctX: Float64Array;
  private readonly countOfX: Float64Array;

  constructor(customers: readonly PurchaseSummary[]) {
    const rows = new Map<string, { c: PurchaseSummary; n: number }>();
    for (const c of customers) {
      const key = `${c.x}:${c.tx}:${c.T}`;
      const row = rows.get(key);
      if (row) row.n += 1;
      else rows.set(key, { c, n: 1 });
    }
    const list = [...rows.values()];
    const xs = [...new Set(list.map((row) => row.c.x))];
    const xPosition = new Map(xs.map((x, i) => [x, i] as const));
    this.x = Float64Array.from(list, (row) => row.c.x);
    this.tx = Float64Array.from(list, (row) => row.c.tx);
    this.T = Float64Array.from(list, (row) => row.c.T);
    this.count = Float64Array.from(list, (row) => row.n);
    this.xIndex = Uint32Array.from(list, (row) => xPosition.get(row.c.x) ?? 0);
    this.distinctX = Float64Array.from(xs);
    this.countOfX = new Float64Array(xs.length);
    list.forEach((row, i) => {
      const k = this.xIndex[i] ?? 0;
      this.countOfX[k] = (this.countOfX[k] ?? 0) + row.n;
    });
  }

  /** Σ over the customers of bgNbdLogLikelihood, in the same order for the same customers. */
  logLikelihood(p: BgNbdParameters): number {
    const { r, alpha, a, b } = p;
    const lnAlpha = log(alpha);
    const lnA = log(a);
    const constant = -lnGamma(r) + r * lnAlpha + lnGamma(a + b) - lnGamma(b);
    const perX = new Float64Array(this.distinctX.length);
    const lnDrop = new Float64Array(this.distinctX.length);
    let sum = 0;
    for (let k = 0; k < this.distinctX.length; k++) {
      const x = this.distinctX[k] as number;
      perX[k] = lnGamma(r + x) + lnGamma(b + x) - lnGamma(a + b + x);
      lnDrop[k] = x > 0 ? lnA - log(b + x - 1) : Number.NEGATIVE_INFINITY;
      sum += (this.countOfX[k] as number) * ((perX[k] as number) + constant);
    }
    for (let i = 0; i < this.x.length; i++) {
      const x = this.x[i] as number;
      const k = this.xIndex[i] as number;
      const survived = -(r + x) * log(alpha + (this.T[i] as number));
      const drop = lnDrop[k] as number;
      const tail =
        drop === Number.NEGATIVE_INFINITY
          ? survived
          : logAddExp(survived, drop - (r + x) * log(alpha + (this.tx[i] as number)));
      sum += (this.count[i] as number) * tail;
    }
    return sum;
  }
}
