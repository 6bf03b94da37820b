import { hyp2f1, lnGamma, logAddExp } from './special-functions';

/** Bound once: a global lookup of Math per call is slow in a sandboxed context (Jest's). */
const { log, exp, log1p } = Math;

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
  const tail = exp((a - 1) * log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, a + b + c.x - 1, z);
  return ((a + b + c.x - 1) / (a - 1)) * (1 - tail) * probabilityAlive(p, c);
}
