import type { BgNbdParameters, PurchaseSummary } from '../bg-nbd';
import type { GammaGammaParameters } from '../gamma-gamma';

/** mulberry32: a small seeded generator, so a simulated population is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, scale 1) by Marsaglia & Tsang (2000); shape < 1 boosted by U^(1/shape). */
export function gammaSample(random: () => number, shape: number): number {
  if (shape < 1) return gammaSample(random, shape + 1) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

export type SimulatedCustomer = PurchaseSummary & {
  /** The values of the repeat purchases. */
  readonly values: readonly number[];
};

/**
 * Customers drawn from BG/NBD (λ ~ Gamma(r, α), p ~ Beta(a, b), purchases a
 * Poisson process at rate λ, dropping out with probability p after each
 * repeat purchase) observed for T uniform on [minT, maxT] after their first
 * purchase; each repeat purchase's value from Gamma-Gamma (ν ~ Gamma(q, γ),
 * z ~ Gamma(p, ν)).
 */
export function simulateCustomers(
  count: number,
  bgNbd: BgNbdParameters,
  spend: GammaGammaParameters,
  observed: { readonly minT: number; readonly maxT: number },
  seed: number,
): SimulatedCustomer[] {
  const random = seededRandom(seed);
  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const T = observed.minT + (observed.maxT - observed.minT) * random();
    const lambda = gammaSample(random, bgNbd.r) / bgNbd.alpha;
    const ga = gammaSample(random, bgNbd.a);
    const p = ga / (ga + gammaSample(random, bgNbd.b));
    const nu = gammaSample(random, spend.q) / spend.gamma;
    const values: number[] = [];
    let t = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T) break;
      tx = t;
      values.push(gammaSample(random, spend.p) / nu);
      if (random() < p) break;
    }
    customers.push({ x: values.length, tx, T, values });
  }
  return customers;
}
