import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { evaluateModel, holdoutSplit, kFold } from './evaluation.js';
import { SurfaceFactory } from './testing/surface.factory.js';

describe('holdoutSplit', () => {
  it('tests round(n · fraction) rows and trains on the others, seeded', () => {
    const split = holdoutSplit(50, 0.2, 3);
    expect(split.test).toHaveLength(10);
    expect(split.train).toHaveLength(40);
    expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(holdoutSplit(50, 0.2, 3)).toEqual(split);
    expect(holdoutSplit(50, 0.2, 4)).not.toEqual(split);
  });

  it('refuses a fraction outside (0, 1), naming it', () => {
    expect(() => holdoutSplit(10, 1, 1)).toThrow(ValidationError);
  });
});

describe('kFold', () => {
  it('puts every row in exactly one test fold, folds differing by at most one row', () => {
    const folds = kFold(23, 5, 9);
    expect(folds.map((f) => f.test.length)).toEqual([5, 5, 5, 4, 4]);
    const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const fold of folds) {
      expect(fold.train).toHaveLength(23 - fold.test.length);
      expect(fold.train.some((row) => fold.test.includes(row))).toBe(false);
    }
  });

  it('refuses more folds than rows', () => {
    expect(() => kFold(3, 4, 1)).toThrow(ValidationError);
  });
});

describe('evaluateModel', () => {
  const plane = ([a, b]: number[]) => 1 + 2 * a! - 3 * b!;
  const { X, y } = SurfaceFactory.create({
    rows: 60,
    bounds: [
      [0, 1],
      [0, 1],
    ],
    surface: plane,
    noise: 0.01,
    seed: 12,
  });

  it('scores a holdout split on its test rows and returns the model fitted on the training rows', () => {
    const result = evaluateModel(X, y, { algorithm: 'ridge', hyperparameters: {} }, { kind: 'holdout', testFraction: 0.25 }, 1);
    expect(result.split).toEqual({ train: 45, test: 15 });
    expect(result.metrics.n).toBe(15);
    expect(result.metrics.r2).toBeGreaterThan(0.999);
    expect(result.metrics.rmse).toBeLessThan(0.02);
    expect(result.folds).toBeUndefined();
  });

  it('scores k-fold on pooled out-of-fold predictions, with each fold, and fits the model on all rows', () => {
    const result = evaluateModel(X, y, { algorithm: 'ridge', hyperparameters: {} }, { kind: 'kfold', folds: 4 }, 1);
    expect(result.metrics.n).toBe(60);
    expect(result.folds).toHaveLength(4);
    expect(result.folds!.map((f) => f.n)).toEqual([15, 15, 15, 15]);
    expect(result.metrics.r2).toBeGreaterThan(0.999);
    expect(result.split).toEqual({ train: 60, test: 60 });
  });
});
