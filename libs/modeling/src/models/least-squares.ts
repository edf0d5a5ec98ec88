import { VistaError } from '@vista/contracts';
import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';

/** Maps one input row to a row of model features (the intercept is handled by the fit, not a feature). */
export interface FeatureMap {
  readonly width: number;
  expand(x: readonly number[], out: Float64Array): void;
}

/** y ≈ intercept + Σ coefficients[j] · feature_j(x), in the features' own units. */
export interface LinearFit {
  intercept: number;
  coefficients: number[];
}

// Rows per block when accumulating XᵀX: bounds memory to CHUNK × width doubles whatever the row count.
const CHUNK = 8192;

/**
 * Ridge regression with an unpenalised intercept: the features are centred and scaled to unit variance,
 * then (ZᵀZ/n + αI) β = Zᵀ(y − ȳ)/n is solved by Cholesky (SVD if it is not positive definite). XᵀX is
 * accumulated block by block with ml-matrix's `gram`, so the expanded design never exists whole. Columns
 * without spread get coefficient 0. The result is returned in the original feature units.
 */
export function fitPenalisedLeastSquares(X: readonly (readonly number[])[], y: readonly number[], features: FeatureMap, alpha: number): LinearFit {
  const n = X.length;
  const p = features.width;
  const row = new Float64Array(p);

  const means = new Float64Array(p);
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    features.expand(X[i] as readonly number[], row);
    for (let j = 0; j < p; j++) means[j] = (means[j] as number) + (row[j] as number);
    meanY += y[i] as number;
  }
  for (let j = 0; j < p; j++) means[j] = (means[j] as number) / n;
  meanY /= n;

  let gram = Matrix.zeros(p, p);
  let moment = Matrix.zeros(p, 1);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const block: Float64Array[] = [];
    const target: number[][] = [];
    for (let i = start; i < end; i++) {
      const centred = new Float64Array(p);
      features.expand(X[i] as readonly number[], centred);
      for (let j = 0; j < p; j++) centred[j] = (centred[j] as number) - (means[j] as number);
      block.push(centred);
      target.push([(y[i] as number) - meanY]);
    }
    const Z = new Matrix(block);
    gram = gram.add(Z.gram());
    moment = moment.add(Z.transposeMultiply(new Matrix(target)));
  }

  const sd = Array.from({ length: p }, (_, j) => Math.sqrt(gram.get(j, j) / n));
  const active = sd.map((_, j) => j).filter((j) => (sd[j] as number) > 0 && (sd[j] as number) > 1e-10 * Math.abs(means[j] as number));
  const coefficients = new Array<number>(p).fill(0);
  if (active.length > 0) {
    const scale = active.map((j) => sd[j] as number);
    const scaled = gram.selection(active, active).divRowVector(scale).divColumnVector(scale).div(n);
    // Scaling rows then columns rounds (i, j) and (j, i) differently; Cholesky wants exact symmetry.
    const system = Matrix.add(scaled, scaled.transpose()).div(2);
    for (let i = 0; i < active.length; i++) system.set(i, i, system.get(i, i) + alpha);
    const rhs = moment.selection(active, [0]).divColumnVector(scale).div(n);
    const cholesky = new CholeskyDecomposition(system);
    const beta = cholesky.isPositiveDefinite() ? cholesky.solve(rhs) : solve(system, rhs, true);
    active.forEach((j, i) => {
      coefficients[j] = beta.get(i, 0) / (scale[i] as number);
    });
  }
  let intercept = meanY;
  for (let j = 0; j < p; j++) intercept -= (coefficients[j] as number) * (means[j] as number);
  if (!Number.isFinite(intercept) || coefficients.some((c) => !Number.isFinite(c))) {
    throw new VistaError('invalid', 'the least-squares system could not be solved (non-finite coefficients): check for extreme or collinear factor values');
  }
  return { intercept, coefficients };
}

/** The identity feature map: a plain linear model. */
export const linearFeatures = (width: number): FeatureMap => ({
  width,
  expand(x, out) {
    for (let j = 0; j < width; j++) out[j] = x[j] as number;
  },
});

/** Evaluates a linear fit on one feature row. */
export function evaluateLinear(fit: LinearFit, features: Float64Array): number {
  let sum = fit.intercept;
  const c = fit.coefficients;
  for (let j = 0; j < c.length; j++) sum += (c[j] as number) * (features[j] as number);
  return sum;
}
