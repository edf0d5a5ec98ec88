import { describe, expect, it } from '@jest/globals';
import { ValidationError, VistaError } from '@vista/contracts';
import { r2 } from '../metrics.js';
import { SurfaceFactory } from '../testing/surface.factory.js';
import type { LinearFit } from './least-squares.js';
import { loadModel, type TrainedModel, trainModel } from './model.js';
import type { PolynomialState } from './polynomial.js';

const roundTrip = (model: TrainedModel): TrainedModel => JSON.parse(JSON.stringify(model));

describe('trainModel — ridge', () => {
  it('recovers the coefficients of y = 2 + 3a − b from slightly noisy data to 1e-3', () => {
    const { X, y } = SurfaceFactory.create({
      rows: 400,
      bounds: [
        [-1, 2],
        [0, 5],
      ],
      surface: ([a, b]) => 2 + 3 * a! - b!,
      noise: 1e-4,
      seed: 5,
    });
    const model = trainModel(X, y, { algorithm: 'ridge', hyperparameters: {} });
    const state = model.state as LinearFit;
    expect(model.hyperparameters).toEqual({ alpha: 1e-6 });
    expect(Math.abs(state.intercept - 2)).toBeLessThan(1e-3);
    expect(Math.abs(state.coefficients[0]! - 3)).toBeLessThan(1e-3);
    expect(Math.abs(state.coefficients[1]! + 1)).toBeLessThan(1e-3);
    expect(loadModel(model).predict([[1, 1]])[0]).toBeCloseTo(4, 3);
  });

  it('shrinks the slopes toward zero as alpha grows, leaving the intercept unpenalised', () => {
    const { X, y } = SurfaceFactory.create({ rows: 200, bounds: [[0, 1]], surface: ([a]) => 10 + 4 * a!, seed: 2 });
    const loose = trainModel(X, y, { algorithm: 'ridge', hyperparameters: { alpha: 0 } }).state as LinearFit;
    const tight = trainModel(X, y, { algorithm: 'ridge', hyperparameters: { alpha: 1e6 } }).state as LinearFit;
    expect(loose.coefficients[0]).toBeCloseTo(4, 8);
    expect(Math.abs(tight.coefficients[0]!)).toBeLessThan(1e-3);
    // With the slope gone the prediction is the mean response.
    expect(tight.intercept + tight.coefficients[0]! * 0.5).toBeCloseTo(y.reduce((s, v) => s + v, 0) / y.length, 2);
  });

  it('gives a factor without spread coefficient 0 instead of failing', () => {
    const { X, y } = SurfaceFactory.create({
      rows: 50,
      bounds: [
        [0, 1],
        [3, 3],
      ],
      surface: ([a]) => 1 + a!,
      seed: 9,
    });
    const state = trainModel(X, y, { algorithm: 'ridge', hyperparameters: {} }).state as LinearFit;
    expect(state.coefficients).toEqual([expect.closeTo(1, 5), 0]);
  });
});

describe('trainModel — polynomial', () => {
  const bowl = ([a, b, c]: number[]) => 3 + (a! - 1) ** 2 + 2 * (b! + 0.5) ** 2 - a! * b! + 0.5 * c!;

  it('fits a quadratic surface with degree 2 to R² > 0.99 on fresh points', () => {
    const train = SurfaceFactory.create({
      rows: 300,
      bounds: [
        [0, 3],
        [-2, 1],
        [-1, 1],
      ],
      surface: bowl,
      noise: 0.05,
      seed: 1,
    });
    const test = SurfaceFactory.create({
      rows: 500,
      bounds: [
        [0, 3],
        [-2, 1],
        [-1, 1],
      ],
      surface: bowl,
      seed: 2,
    });
    const model = trainModel(train.X, train.y, { algorithm: 'polynomial', hyperparameters: { degree: 2 } });
    expect((model.state as PolynomialState).terms).toHaveLength(9);
    expect(r2(test.y, loadModel(roundTrip(model)).predict(test.X))).toBeGreaterThan(0.99);
  });

  it('refuses a degree with more terms than the rows can support, naming the counts', () => {
    const { X, y } = SurfaceFactory.create({
      rows: 20,
      bounds: [
        [0, 1],
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      surface: ([a]) => a!,
      seed: 1,
    });
    expect(() => trainModel(X, y, { algorithm: 'polynomial', hyperparameters: { degree: 3 } })).toThrow(
      new VistaError('invalid', 'degree 3 in 4 factors has 35 terms: at least 36 training rows are needed, got 20'),
    );
  });
});

describe('trainModel — random forest', () => {
  it('reaches R² > 0.8 on a smooth surface and predicts the same after a JSON round trip', () => {
    const smooth = ([a, b]: number[]) => Math.sin(2 * a!) + b! ** 2;
    const train = SurfaceFactory.create({
      rows: 600,
      bounds: [
        [-1.5, 1.5],
        [-1, 1],
      ],
      surface: smooth,
      noise: 0.02,
      seed: 3,
    });
    const test = SurfaceFactory.create({
      rows: 300,
      bounds: [
        [-1.5, 1.5],
        [-1, 1],
      ],
      surface: smooth,
      seed: 4,
    });
    const model = trainModel(train.X, train.y, { algorithm: 'random-forest', hyperparameters: { nEstimators: 15, maxSamples: 400 }, seed: 7 });
    expect(model.hyperparameters).toEqual({ nEstimators: 15, maxDepth: 10, maxFeatures: 1, maxSamples: 400, minNodeSize: 3 });
    const predicted = loadModel(model).predict(test.X);
    expect(r2(test.y, predicted)).toBeGreaterThan(0.8);
    expect(loadModel(roundTrip(model)).predict(test.X)).toEqual(predicted);
    expect(loadModel(model).predictOne(test.X[0]!)).toBe(predicted[0]);
  });

  it('is deterministic for a seed and differs for another', () => {
    const { X, y } = SurfaceFactory.create({
      rows: 120,
      bounds: [
        [0, 1],
        [0, 1],
      ],
      surface: ([a, b]) => a! * b!,
      seed: 6,
    });
    const spec = { algorithm: 'random-forest' as const, hyperparameters: { nEstimators: 3 } };
    const a = loadModel(trainModel(X, y, { ...spec, seed: 1 })).predict(X.slice(0, 5));
    expect(loadModel(trainModel(X, y, { ...spec, seed: 1 })).predict(X.slice(0, 5))).toEqual(a);
    expect(loadModel(trainModel(X, y, { ...spec, seed: 2 })).predict(X.slice(0, 5))).not.toEqual(a);
  });

  it('refuses more rows per tree than ml-cart can grow in reasonable time, saying what would work', () => {
    const { X, y } = SurfaceFactory.create({ rows: 6000, bounds: [[0, 1]], surface: ([a]) => a!, seed: 1 });
    expect(() => trainModel(X, y, { algorithm: 'random-forest', hyperparameters: { maxSamples: 1 } })).toThrow(
      /6,000 of 6,000 rows per tree.*maxSamples ≤ 0.833/,
    );
  });
});

describe('trainModel — refusals', () => {
  it('ends with the reason when the response is constant', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i, i % 3]);
    const y = X.map(() => 3.2);
    expect(() => trainModel(X, y, { algorithm: 'ridge', hyperparameters: {}, response: 'yield' })).toThrow(
      new VistaError('invalid', 'the response yield is constant (3.2) on all 40 rows: nothing to learn'),
    );
  });

  it('ends with the reason when there are fewer than 5 rows', () => {
    expect(() => trainModel([[1], [2], [3], [4]], [1, 2, 3, 5], { algorithm: 'random-forest', hyperparameters: {} })).toThrow(
      new VistaError('invalid', 'only 4 rows to train on: a model needs at least 5'),
    );
  });

  it('names the bad cell or hyperparameter', () => {
    const issue = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues?.[0]?.path;
      }
      return undefined;
    };
    const X = [[1], [2], [3], [4], [Number.NaN], [6]];
    expect(issue(() => trainModel(X, [1, 2, 3, 4, 5, 6], { algorithm: 'ridge', hyperparameters: {} }))).toBe('X[4][0]');
    expect(issue(() => trainModel([[1], [2]], [1, 2], { algorithm: 'polynomial', hyperparameters: { degree: 7 } }))).toBe('hyperparameters.degree');
    expect(issue(() => trainModel([[1], [2]], [1, 2], { algorithm: 'ridge', hyperparameters: { depth: 3 } as never }))).toBe('hyperparameters.depth');
  });

  it('ignores hyperparameters of other algorithms', () => {
    const { X, y } = SurfaceFactory.create({ rows: 30, bounds: [[0, 1]], surface: ([a]) => a!, seed: 1 });
    expect(trainModel(X, y, { algorithm: 'ridge', hyperparameters: { alpha: 0.5, nEstimators: 9 } }).hyperparameters).toEqual({ alpha: 0.5 });
  });
});
