// Small descriptive statistics shared by preprocessing, scaling and the models (not linear algebra).

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/** Population standard deviation (divides by n), two-pass for accuracy. */
export function std(values: ArrayLike<number>, center = mean(values)): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += ((values[i] as number) - center) ** 2;
  return Math.sqrt(sum / values.length);
}

/** Ascending copy as a typed array. */
export const sorted = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** Quantile q ∈ [0, 1] of ascending values, linear between order statistics (R type 7, numpy's default). */
export function quantileOfSorted(ascending: ArrayLike<number>, q: number): number {
  const n = ascending.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const weight = position - lower;
  return (ascending[lower] as number) * (1 - weight) + (ascending[upper] as number) * weight;
}

export const median = (values: ArrayLike<number>): number => quantileOfSorted(sorted(values), 0.5);

/** The i-th column of a row-major matrix. */
export function column(X: readonly (readonly number[])[], j: number): Float64Array {
  const out = new Float64Array(X.length);
  for (let i = 0; i < X.length; i++) out[i] = (X[i] as readonly number[])[j] as number;
  return out;
}
