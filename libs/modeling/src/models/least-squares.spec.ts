import { describe, expect, it } from '@jest/globals';
import { createRandom } from '../random.js';
import { fitPenalisedLeastSquares, linearFeatures } from './least-squares.js';

describe('fitPenalisedLeastSquares', () => {
  it('solves exactly over more rows than one accumulation block', () => {
    const random = createRandom(1);
    const X = Array.from({ length: 20_000 }, () => [random.between(-3, 3), random.between(1000, 1010)]);
    const y = X.map(([a, b]) => -7 + 0.25 * a! + 4 * b!);
    const fit = fitPenalisedLeastSquares(X, y, linearFeatures(2), 0);
    expect(fit.coefficients[0]).toBeCloseTo(0.25, 8);
    expect(fit.coefficients[1]).toBeCloseTo(4, 8);
    expect(fit.intercept).toBeCloseTo(-7, 5);
  });

  it('splits the weight of two identical columns instead of failing when alpha is 0', () => {
    const X = Array.from({ length: 30 }, (_, i) => [i, i]);
    const y = X.map(([a]) => 1 + 2 * a!);
    const fit = fitPenalisedLeastSquares(X, y, linearFeatures(2), 0);
    expect(fit.coefficients[0]! + fit.coefficients[1]!).toBeCloseTo(2, 8);
    expect(fit.coefficients[0]).toBeCloseTo(fit.coefficients[1]!, 8);
    expect(fit.intercept).toBeCloseTo(1, 8);
  });
});
