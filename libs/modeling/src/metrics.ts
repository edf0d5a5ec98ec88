import { invalid } from './checks.js';

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  /** Coefficient of determination; see `r2` for the constant-truth case. */
  r2: number;
  /** Number of values compared. */
  n: number;
}

function checkPair(y: readonly number[], yhat: readonly number[]): void {
  if (!Array.isArray(y) || !Array.isArray(yhat) || y.length === 0 || y.length !== yhat.length) {
    invalid('yhat', `expected two non-empty arrays of the same length, got ${y?.length} and ${yhat?.length}`);
  }
}

/** Root mean squared error. */
export function rmse(y: readonly number[], yhat: readonly number[]): number {
  checkPair(y, yhat);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += ((y[i] as number) - (yhat[i] as number)) ** 2;
  return Math.sqrt(sum / y.length);
}

/** Mean absolute error. */
export function mae(y: readonly number[], yhat: readonly number[]): number {
  checkPair(y, yhat);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += Math.abs((y[i] as number) - (yhat[i] as number));
  return sum / y.length;
}

/**
 * R² = 1 − SSres / SStot. When the true values are all equal (SStot = 0) the ratio is undefined; like
 * scikit-learn this returns 1 for a perfect prediction and 0 otherwise, never NaN or −∞.
 */
export function r2(y: readonly number[], yhat: readonly number[]): number {
  checkPair(y, yhat);
  let meanY = 0;
  for (const v of y) meanY += v;
  meanY /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += ((y[i] as number) - (yhat[i] as number)) ** 2;
    ssTot += ((y[i] as number) - meanY) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** RMSE, MAE and R² of a prediction. */
export function regressionMetrics(y: readonly number[], yhat: readonly number[]): RegressionMetrics {
  return { rmse: rmse(y, yhat), mae: mae(y, yhat), r2: r2(y, yhat), n: y.length };
}
