/**
 * Nelder–Mead simplex minimisation with the dimension-adaptive coefficients
 * of Gao & Han (2012), deterministic for the same start. The models minimise
 * over the logarithms of their parameters, so every point is admissible; a
 * point where the objective is not a number counts as +∞ (the simplex
 * steps back from it).
 */
export type MinimiseOptions = {
  /** Stop when the simplex's values differ by less than this, relative to the best. */
  readonly valueTolerance?: number;
  /** ... and its vertices by less than this, in every coordinate. */
  readonly pointTolerance?: number;
  readonly maxIterations?: number;
  /** Size of the first simplex's steps from the start, per coordinate. */
  readonly step?: number;
  /**
   * Awaited after every iteration: a caller on a server's event loop passes
   * a slicer's tick, so a fit over many customers never holds the loop for
   * longer than an iteration.
   */
  readonly tick?: () => Promise<void>;
};

export type Minimum = {
  readonly point: number[];
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
};

type Vertex = { point: number[]; value: number };

export async function nelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: MinimiseOptions = {},
): Promise<Minimum> {
  const n = start.length;
  const valueTolerance = options.valueTolerance ?? 1e-12;
  const pointTolerance = options.pointTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 10_000;
  const step = options.step ?? 0.5;
  const reflect = 1;
  const expand = 1 + 2 / n;
  const contract = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;
  const f = (point: number[]): number => {
    const value = objective(point);
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  const vertex = (point: number[]): Vertex => ({ point, value: f(point) });
  const simplex: Vertex[] = [vertex([...start])];
  for (let i = 0; i < n; i++) {
    const point = [...start];
    point[i] = (point[i] ?? 0) + step;
    simplex.push(vertex(point));
  }
  const along = (from: number[], to: number[], t: number): number[] =>
    from.map((value, i) => value + t * ((to[i] ?? 0) - value));

  const tick = options.tick ?? (() => Promise.resolve());
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    await tick();
    simplex.sort((u, v) => u.value - v.value);
    const best = simplex[0] as Vertex;
    const worst = simplex[n] as Vertex;
    if (isSmall(simplex, best, valueTolerance, pointTolerance)) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let v = 0; v < n; v++)
      (simplex[v] as Vertex).point.forEach((value, i) => (centroid[i] = (centroid[i] ?? 0) + value / n));
    const reflected = vertex(along(centroid, worst.point, -reflect));
    const secondWorst = simplex[n - 1] as Vertex;
    if (reflected.value < best.value) {
      const expanded = vertex(along(centroid, worst.point, -reflect * expand));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < secondWorst.value) {
      simplex[n] = reflected;
    } else {
      const outside = reflected.value < worst.value;
      const contracted = outside
        ? vertex(along(centroid, reflected.point, contract))
        : vertex(along(centroid, worst.point, contract));
      if (contracted.value < (outside ? reflected.value : worst.value)) simplex[n] = contracted;
      else
        for (let v = 1; v <= n; v++)
          simplex[v] = vertex(along(best.point, (simplex[v] as Vertex).point, shrink));
    }
  }
  simplex.sort((u, v) => u.value - v.value);
  const best = simplex[0] as Vertex;
  return { point: best.point, value: best.value, iterations, converged };
}

function isSmall(
  simplex: readonly Vertex[],
  best: Vertex,
  valueTolerance: number,
  pointTolerance: number,
): boolean {
  const spread = Math.max(...simplex.map((v) => Math.abs(v.value - best.value)));
  if (!(spread <= valueTolerance * (Math.abs(best.value) + valueTolerance))) return false;
  return simplex.every((v) =>
    v.point.every((value, i) => Math.abs(value - (best.point[i] ?? 0)) <= pointTolerance),
  );
}

/**
 * Restarts from the best point until a restart no longer improves it (at most
 * `restarts` times): a single Nelder–Mead run can stall on a ridge, the usual
 * remedy is a fresh simplex where it stopped.
 */
export async function minimise(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: MinimiseOptions & { readonly restarts?: number } = {},
): Promise<Minimum> {
  let result = await nelderMead(objective, start, options);
  let iterations = result.iterations;
  for (let i = 0; i < (options.restarts ?? 3); i++) {
    const again = await nelderMead(objective, result.point, { ...options, step: (options.step ?? 0.5) / 5 });
    iterations += again.iterations;
    const improved = again.value < result.value - Math.abs(result.value) * 1e-13;
    if (again.value <= result.value) result = again;
    if (!improved) break;
  }
  return { ...result, iterations };
}

/**
 * The Hessian of `f` at `point` by central differences (step `h` per
 * coordinate), for standard errors from the observed information.
 */
export async function numericalHessian(
  f: (point: readonly number[]) => number,
  point: readonly number[],
  h = 1e-4,
  tick: () => Promise<void> = () => Promise.resolve(),
): Promise<number[][]> {
  const n = point.length;
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const p = [...point];
    p[di] = (p[di] ?? 0) + si * h;
    p[dj] = (p[dj] ?? 0) + sj * h;
    return f(p);
  };
  const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      await tick();
      const value = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h * h);
      (hessian[i] as number[])[j] = value;
      (hessian[j] as number[])[i] = value;
    }
  }
  return hessian;
}

/** The inverse of a symmetric positive-definite matrix by Cholesky; null when it is not positive definite. */
export function invertPositiveDefinite(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const m = (i: number, j: number): number => matrix[i]?.[j] ?? 0;
  const L = (i: number, j: number): number => l[i]?.[j] ?? 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m(i, j);
      for (let k = 0; k < j; k++) sum -= L(i, k) * L(j, k);
      if (i === j) {
        if (!(sum > 0)) return null;
        (l[i] as number[])[i] = Math.sqrt(sum);
      } else (l[i] as number[])[j] = sum / L(j, j);
    }
  }
  // Columns of L⁻¹ by forward substitution, then (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹.
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = c; k < i; k++) sum -= L(i, k) * (inv[k]?.[c] ?? 0);
      (inv[i] as number[])[c] = sum / L(i, i);
    }
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let sum = 0;
      for (let k = Math.max(i, j); k < n; k++) sum += (inv[k]?.[i] ?? 0) * (inv[k]?.[j] ?? 0);
      return sum;
    }),
  );
}
