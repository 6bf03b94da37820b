import { invertPositiveDefinite, minimise, nelderMead, numericalHessian } from './nelder-mead';

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', async () => {
    const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const found = await minimise(rosenbrock, [-1.2, 1]);
    expect(found.converged).toBe(true);
    expect(found.point[0]).toBeCloseTo(1, 5);
    expect(found.point[1]).toBeCloseTo(1, 5);
  });

  it('finds the centre of a four-dimensional quadratic bowl', async () => {
    const centre = [3, -2, 0.5, 7];
    const bowl = (p: readonly number[]) =>
      p.reduce((sum, v, i) => sum + (i + 1) * (v - (centre[i] ?? 0)) ** 2, 0);
    const found = await minimise(bowl, [0, 0, 0, 0]);
    found.point.forEach((v, i) => expect(v).toBeCloseTo(centre[i] ?? 0, 5));
  });

  it('steps back from points where the objective is not a number', async () => {
    const found = await nelderMead(([x = 0]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [0.1]);
    expect(found.point[0]).toBeCloseTo(2, 5);
  });

  it('is deterministic for the same start', async () => {
    const f = ([x = 0, y = 0]: readonly number[]) => Math.cosh(x - 1) + (y + 3) ** 4;
    expect(await minimise(f, [0, 0])).toEqual(await minimise(f, [0, 0]));
  });
});

describe('standard errors from the Hessian', () => {
  it('differentiates a quadratic form exactly', async () => {
    const f = ([x = 0, y = 0]: readonly number[]) => 3 * x * x + 2 * x * y + 5 * y * y;
    const h = await numericalHessian(f, [0.3, -0.7]);
    expect(h[0]?.[0]).toBeCloseTo(6, 5);
    expect(h[0]?.[1]).toBeCloseTo(2, 5);
    expect(h[1]?.[1]).toBeCloseTo(10, 5);
  });

  it('inverts a positive-definite matrix, and refuses one that is not', () => {
    const inverse = invertPositiveDefinite([
      [4, 2],
      [2, 3],
    ]);
    // (1/8) · [[3, −2], [−2, 4]]
    expect(inverse?.[0]?.[0]).toBeCloseTo(3 / 8, 14);
    expect(inverse?.[0]?.[1]).toBeCloseTo(-2 / 8, 14);
    expect(inverse?.[1]?.[1]).toBeCloseTo(4 / 8, 14);
    expect(
      invertPositiveDefinite([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });
});
