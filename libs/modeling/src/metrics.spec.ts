import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { mae, r2, regressionMetrics, rmse } from './metrics.js';

describe('regression metrics', () => {
  // Errors −0.5, 0, 1, −1: squares 0.25, 0, 1, 1 → mean 0.5625; absolutes → mean 0.625.
  const y = [3, -0.5, 2, 7];
  const yhat = [2.5, -0.5, 3, 6];

  it('computes RMSE, MAE and R² of hand-checked vectors', () => {
    expect(rmse(y, yhat)).toBeCloseTo(0.75, 12);
    expect(mae(y, yhat)).toBeCloseTo(0.625, 12);
    // ȳ = 2.875, SStot = 29.1875, SSres = 2.25 → R² = 1 − 2.25 / 29.1875.
    expect(r2(y, yhat)).toBeCloseTo(1 - 2.25 / 29.1875, 12);
    expect(regressionMetrics(y, yhat)).toEqual({ rmse: 0.75, mae: 0.625, r2: 1 - 2.25 / 29.1875, n: 4 });
  });

  it('gives R² 1 for a perfect fit and 0 for predicting the mean', () => {
    expect(r2(y, y)).toBe(1);
    expect(
      r2(
        y,
        y.map(() => 2.875),
      ),
    ).toBeCloseTo(0, 12);
  });

  it('returns 1 or 0, never NaN, when the true values are constant', () => {
    expect(r2([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2([2, 2, 2], [1, 2, 3])).toBe(0);
  });

  it('refuses vectors of different lengths or empty ones', () => {
    expect(() => rmse([1, 2], [1])).toThrow(ValidationError);
    expect(() => r2([], [])).toThrow(ValidationError);
  });
});
