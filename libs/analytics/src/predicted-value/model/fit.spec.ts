import { fitBgNbd, fitGammaGamma } from './fit';
import { simulateCustomers } from './testing/simulate';

const TRUE_BG_NBD = { r: 0.5, alpha: 12, a: 0.9, b: 3 };
const TRUE_SPEND = { p: 5, q: 4, gamma: 2500 };

describe('maximum-likelihood fits on a simulated population (6,000 customers, seed 2005)', () => {
  const customers = simulateCustomers(6000, TRUE_BG_NBD, TRUE_SPEND, { minT: 30, maxT: 400 }, 2005);

  it('recovers r, α, a, b within two standard errors', async () => {
    const fit = await fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.standardErrors).not.toBeNull();
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      const error = fit.standardErrors?.[key] ?? 0;
      expect(error).toBeGreaterThan(0);
      expect(Math.abs(fit.parameters[key] - TRUE_BG_NBD[key])).toBeLessThan(2 * error);
    }
  });

  it('recovers p, q, γ within two standard errors', async () => {
    const repeaters = customers
      .filter((c) => c.x > 0)
      .map((c) => ({ x: c.x, mean: c.values.reduce((sum, v) => sum + v, 0) / c.x }));
    const fit = await fitGammaGamma(repeaters);
    expect(fit.converged).toBe(true);
    for (const key of ['p', 'q', 'gamma'] as const) {
      const error = fit.standardErrors?.[key] ?? 0;
      expect(error).toBeGreaterThan(0);
      expect(Math.abs(fit.parameters[key] - TRUE_SPEND[key])).toBeLessThan(2 * error);
    }
  });

  it('gives the same estimate for the same customers', async () => {
    const some = customers.slice(0, 500);
    expect(await fitBgNbd(some)).toEqual(await fitBgNbd(some));
  });
});
