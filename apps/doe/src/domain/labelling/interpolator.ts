import { ValidationError, VistaError } from '@vista/contracts';
import { createRandom } from '@vista/modeling';
import { LuDecomposition, Matrix, QrDecomposition } from 'ml-matrix';

export interface InterpolatorOptions {
  /** Added to the kernel matrix's diagonal, so noise in the deck is smoothed rather than reproduced (default 1e-3; 0 interpolates exactly). */
  smoothing?: number;
  /** Most rows the radial basis system is solved on; a larger deck is fitted on a seeded random subsample of this size (default 1,000). */
  maxRows?: number;
  /** Seed of that subsample (default 42). */
  seed?: number;
}

export interface InterpolatorInfo {
  method: 'thin-plate-spline-rbf';
  kernel: 'r² log r on coordinates scaled to the unit cube of the fitted rows';
  /** Terms of the polynomial tail: the constant and each factor that varies (a factor collinear with others is left out). */
  tail: string[];
  smoothing: number;
  rows: number;
  fittedRows: number;
  /** Present when the deck had more rows than `maxRows`: the fit used a seeded random subsample. */
  subsample?: { from: number; to: number; seed: number };
  /** Factors with the same value on every fitted row: they do not enter the fit. */
  constantFactors: number[];
}

export interface Interpolator {
  predict(points: number[][]): number[];
  info: InterpolatorInfo;
}

const DEFAULT_SMOOTHING = 1e-3;
/** Measured with ml-matrix's LU on this machine: 1,000 rows ≈ 3 s, 2,000 rows ≈ 19 s. */
const DEFAULT_MAX_ROWS = 1000;
const DEFAULT_SEED = 42;

// Thin-plate kernel from a squared distance: r² log r = ½ r² log r², 0 at r = 0.
const kernel = (r2: number): number => (r2 > 0 ? 0.5 * r2 * Math.log(r2) : 0);

function invalid(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

/**
 * Fits a thin-plate-spline radial basis interpolator with a linear polynomial tail to scattered data
 * in k dimensions: [Φ + λI  P; Pᵀ 0] [c; b] = [y; 0], solved with ml-matrix's LU decomposition.
 * Coordinates are scaled to the unit cube first, so factors of different units weigh alike.
 */
export function fitInterpolator(X: number[][], y: number[], options: InterpolatorOptions = {}): Interpolator {
  const { rows, columns } = checkData(X, y);
  const smoothing = options.smoothing ?? DEFAULT_SMOOTHING;
  if (typeof smoothing !== 'number' || !Number.isFinite(smoothing) || smoothing < 0) invalid('options.smoothing', 'expected a finite number ≥ 0');
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 2) invalid('options.maxRows', 'expected an integer ≥ 2');
  const seed = options.seed ?? DEFAULT_SEED;

  let fitX = X;
  let fitY = y;
  let subsample: InterpolatorInfo['subsample'];
  if (rows > maxRows) {
    const chosen = createRandom(seed)
      .permutation(rows)
      .slice(0, maxRows)
      .sort((a, b) => a - b);
    fitX = chosen.map((i) => X[i] as number[]);
    fitY = chosen.map((i) => y[i] as number);
    subsample = { from: rows, to: maxRows, seed };
  }
  const n = fitX.length;

  // Unit-cube scaling over the fitted rows; a factor without spread is left out.
  const low: number[] = [];
  const span: number[] = [];
  for (let j = 0; j < columns; j++) {
    let min = Infinity;
    let max = -Infinity;
    for (const row of fitX) {
      const v = row[j] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    low.push(min);
    span.push(max - min);
  }
  const active = span.map((_, j) => j).filter((j) => (span[j] as number) > 0);
  const constantFactors = span.map((_, j) => j).filter((j) => !((span[j] as number) > 0));
  const d = active.length;
  const unit = (x: readonly number[]): Float64Array => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      const j = active[a] as number;
      out[a] = ((x[j] as number) - (low[j] as number)) / (span[j] as number);
    }
    return out;
  };
  const centres = fitX.map(unit);

  if (n < d + 2) {
    throw new VistaError('invalid', `only ${n} rows to interpolate over ${d} varying factors: at least ${d + 2} are needed`);
  }
  // The tail: the constant, then each factor that adds rank (a factor collinear with others would make the system singular).
  const tailFactors: number[] = [];
  for (let a = 0; a < d; a++) {
    const candidate = [...tailFactors, a];
    if (hasFullRank(new Matrix(centres.map((z) => [1, ...candidate.map((t) => z[t] as number)])))) tailFactors.push(a);
  }
  const m = 1 + tailFactors.length;

  const size = n + m;
  const A = Matrix.zeros(size, size);
  for (let i = 0; i < n; i++) {
    const zi = centres[i] as Float64Array;
    A.set(i, i, smoothing);
    for (let j = i + 1; j < n; j++) {
      const zj = centres[j] as Float64Array;
      let r2 = 0;
      for (let a = 0; a < d; a++) r2 += ((zi[a] as number) - (zj[a] as number)) ** 2;
      const value = kernel(r2);
      A.set(i, j, value);
      A.set(j, i, value);
    }
    A.set(i, n, 1);
    A.set(n, i, 1);
    tailFactors.forEach((t, c) => {
      A.set(i, n + 1 + c, zi[t] as number);
      A.set(n + 1 + c, i, zi[t] as number);
    });
  }
  const rhs = Matrix.columnVector([...fitY, ...new Array<number>(m).fill(0)]);
  const lu = new LuDecomposition(A);
  if (lu.isSingular()) {
    throw new VistaError('invalid', 'the deck rows cannot be interpolated: some factor settings repeat with different responses; use a smoothing above 0');
  }
  const solution = lu.solve(rhs).getColumn(0);
  if (solution.some((v) => !Number.isFinite(v))) {
    throw new VistaError('invalid', 'the interpolation system could not be solved (non-finite weights): check the deck for extreme values');
  }
  const weights = solution.slice(0, n);
  const tail = solution.slice(n);

  const predictOne = (x: readonly number[]): number => {
    const z = unit(x);
    let sum = tail[0] as number;
    tailFactors.forEach((t, c) => {
      sum += (tail[1 + c] as number) * (z[t] as number);
    });
    for (let i = 0; i < n; i++) {
      const zi = centres[i] as Float64Array;
      let r2 = 0;
      for (let a = 0; a < d; a++) r2 += ((z[a] as number) - (zi[a] as number)) ** 2;
      sum += (weights[i] as number) * kernel(r2);
    }
    return sum;
  };

  return {
    predict(points) {
      if (!Array.isArray(points)) invalid('points', 'expected an array of points');
      return points.map((p, i) => {
        if (!Array.isArray(p) || p.length !== columns || p.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
          invalid(`points[${i}]`, `expected ${columns} finite numbers`);
        }
        return predictOne(p);
      });
    },
    info: {
      method: 'thin-plate-spline-rbf',
      kernel: 'r² log r on coordinates scaled to the unit cube of the fitted rows',
      tail: ['1', ...tailFactors.map((t) => `x${active[t]}`)],
      smoothing,
      rows,
      fittedRows: n,
      ...(subsample ? { subsample } : {}),
      constantFactors,
    },
  };
}

// Full column rank up to rounding: no diagonal entry of R is negligible next to the largest (QR's own check is exact).
function hasFullRank(P: Matrix): boolean {
  const R = new QrDecomposition(P).upperTriangularMatrix;
  const diagonal = Array.from({ length: P.columns }, (_, i) => Math.abs(R.get(i, i)));
  const largest = Math.max(...diagonal);
  return diagonal.every((v) => v > 1e-8 * largest);
}

function checkData(X: number[][], y: number[]): { rows: number; columns: number } {
  if (!Array.isArray(X) || X.length < 2) invalid('X', 'expected at least 2 rows');
  const columns = Array.isArray(X[0]) ? X[0].length : 0;
  if (columns === 0) invalid('X[0]', 'expected an array of factor values');
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns) invalid(`X[${i}]`, `expected ${columns} factor values`);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`X[${i}][${j}]`, `expected a finite number, got ${String(v)}`);
    });
  });
  if (!Array.isArray(y) || y.length !== X.length) invalid('y', `expected ${X.length} responses, one per row`);
  y.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`y[${i}]`, `expected a finite number, got ${String(v)}`);
  });
  return { rows: X.length, columns };
}
