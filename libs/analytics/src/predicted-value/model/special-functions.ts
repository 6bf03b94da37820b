/**
 * The special functions the BG/NBD and Gamma-Gamma models need, in double
 * precision: ln Γ (Lanczos, g = 7, nine terms: about 15 significant digits for
 * positive arguments) and the Gaussian hypergeometric 2F1 by its power series.
 */

/** Bound once: a global lookup of Math per call is slow in a sandboxed context (Jest's). */
const { log, exp, log1p, abs, max, PI } = Math;

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LN_TWO_PI = 0.5 * log(2 * PI);

/** ln Γ(x) for x > 0 (NaN otherwise: the models never need the negative axis). */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  // Γ(x) = Γ(x + 1) / x keeps the series where it is accurate.
  if (x < 0.5) return lnGamma(x + 1) - log(x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** Terms of the 2F1 series at most: at |z| ≤ 0.99 it has converged long before. */
const MAX_TERMS = 100_000;

/**
 * 2F1(a, b; c; z) = Σ (a)_n (b)_n / (c)_n · z^n / n! for 0 ≤ z < 1 and c > 0,
 * summed until a term no longer changes the sum. Each term comes from the
 * previous one by their ratio, so no factorial or Pochhammer symbol is ever
 * formed (they would overflow long before the sum does).
 *
 * @throws RangeError outside 0 ≤ z < 1 or when the series has not converged
 * within MAX_TERMS (z too close to 1 for the parameters).
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = MAX_TERMS): number {
  if (!(z >= 0 && z < 1) || !(c > 0))
    throw new RangeError(`hyp2f1 needs 0 ≤ z < 1 and c > 0, got z=${z}, c=${c}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    const next = sum + term;
    // Done when a term no longer counts and the terms after it only shrink.
    if (term === 0 || (next === sum && abs(ratio) < 1)) return next;
    sum = next;
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
}

/** ln(e^u + e^v) without overflow. */
export function logAddExp(u: number, v: number): number {
  if (u === Number.NEGATIVE_INFINITY) return v;
  if (v === Number.NEGATIVE_INFINITY) return u;
  const top = max(u, v);
  return top + log1p(exp(-abs(u - v)));
}

/** Nodes and weights of 5-point Gauss–Legendre on [−1, 1]. */
const GL5: readonly (readonly [number, number])[] = [
  [0, 0.5688888888888889],
  [-0.5384693101056831, 0.4786286704993665],
  [0.5384693101056831, 0.4786286704993665],
  [-0.906179845938664, 0.23692688505618908],
  [0.906179845938664, 0.23692688505618908],
];

/** ∫ f over [lo, hi] by composite 5-point Gauss–Legendre on `panels` equal panels. */
export function integrate(f: (x: number) => number, lo: number, hi: number, panels = 200): number {
  const width = (hi - lo) / panels;
  let sum = 0;
  for (let i = 0; i < panels; i++) {
    const mid = lo + (i + 0.5) * width;
    for (const [node, weight] of GL5) sum += weight * f(mid + (node * width) / 2);
  }
  return (sum * width) / 2;
}
