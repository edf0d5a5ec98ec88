import { describe, expect, it } from '@jest/globals';
import { ValidationError, VistaError } from '@vista/contracts';
import { createRandom, r2 } from '@vista/modeling';
import { fitInterpolator } from './interpolator.js';

const bounds: [number, number][] = [
  [0, 3],
  [-2, 1],
  [-1, 1],
];
const surface = ([x1, x2, x3]: number[]) => (x1! - 1.5) ** 2 + 2 * (x2! + 0.5) ** 2 + 0.5 * x3! + 3;
const sample = (n: number, seed: number) => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => bounds.map(([low, high]) => random.between(low, high)));
};

describe('fitInterpolator', () => {
  it('predicts a smooth surface from 300 scattered points with R² > 0.98 on 500 fresh ones', () => {
    const X = sample(300, 1);
    const interpolator = fitInterpolator(X, X.map(surface));
    const fresh = sample(500, 2);
    expect(r2(fresh.map(surface), interpolator.predict(fresh))).toBeGreaterThan(0.98);
    expect(interpolator.info).toMatchObject({
      method: 'thin-plate-spline-rbf',
      rows: 300,
      fittedRows: 300,
      tail: ['1', 'x0', 'x1', 'x2'],
      constantFactors: [],
    });
  });

  it('smooths noise instead of reproducing it, and interpolates exactly without smoothing', () => {
    const X = sample(80, 3);
    const noise = createRandom(4);
    const y = X.map((x) => surface(x) + 0.3 * noise.normal());
    const exact = fitInterpolator(X, y, { smoothing: 0 }).predict(X);
    exact.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 6));
    const smoothed = fitInterpolator(X, y, { smoothing: 0.05 }).predict(X);
    const truth = X.map(surface);
    expect(r2(truth, smoothed)).toBeGreaterThan(r2(truth, exact));
  });

  it('fits a large deck on a seeded subsample and says so', () => {
    const X = sample(1500, 5);
    const interpolator = fitInterpolator(X, X.map(surface), { maxRows: 400, seed: 9 });
    expect(interpolator.info.subsample).toEqual({ from: 1500, to: 400, seed: 9 });
    expect(interpolator.info.fittedRows).toBe(400);
    const fresh = sample(200, 6);
    expect(r2(fresh.map(surface), interpolator.predict(fresh))).toBeGreaterThan(0.98);
  });

  it('leaves out a constant factor and a factor collinear with another', () => {
    const base = sample(60, 7);
    const X = base.map(([a, b]) => [a!, b!, 5, 2 * a! + 1]);
    const interpolator = fitInterpolator(
      X,
      base.map(([a, b]) => a! + b! ** 2),
    );
    expect(interpolator.info.constantFactors).toEqual([2]);
    expect(interpolator.info.tail).toEqual(['1', 'x0', 'x1']);
    expect(interpolator.predict([[1, 0, 5, 3]])[0]).toBeCloseTo(1, 1);
  });

  it('refuses too few rows and names a bad cell', () => {
    expect(() =>
      fitInterpolator(
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        [1, 2, 3],
      ),
    ).toThrow(VistaError);
    expect(() => fitInterpolator([[0], [Number.NaN]], [1, 2])).toThrow(ValidationError);
    try {
      fitInterpolator([[0], [1], [2]], [1, 2, 3]).predict([[1, 2]]);
    } catch (error) {
      expect((error as ValidationError).issues?.[0]?.path).toBe('points[0]');
    }
  });
});
