import { describe, expect, it } from '@jest/globals';
import { candidateGrid, tuneHyperparameters } from './tuning.js';
import { SurfaceFactory } from './testing/surface.factory.js';

describe('tuneHyperparameters', () => {
  const cubic = ([a, b]: number[]) => a! ** 3 - 2 * a! * b! + b! ** 2;
  const { X, y } = SurfaceFactory.create({
    rows: 120,
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
    surface: cubic,
    noise: 0.01,
    seed: 4,
  });

  it('finds that a cubic surface wants degree 3 and scores every candidate it tried', () => {
    const result = tuneHyperparameters(X, y, 'polynomial', { folds: 4, seed: 1 });
    expect(result.best.degree).toBe(3);
    expect(result.bestScore.rmse).toBeLessThan(0.02);
    expect(result.trace).toHaveLength(16);
    expect(result.trace[0]!.hyperparameters).toEqual({ degree: 2, alpha: 1e-6 });
    expect(Math.min(...result.trace.map((t) => t.rmse))).toBe(result.bestScore.rmse);
  });

  it('skips candidates the rows cannot support and says why', () => {
    const small = SurfaceFactory.create({
      rows: 24,
      bounds: [
        [-1, 1],
        [-1, 1],
        [-1, 1],
      ],
      surface: cubic,
      seed: 5,
    });
    const result = tuneHyperparameters(small.X, small.y, 'polynomial', { folds: 3, seed: 1 });
    expect(result.skipped.length).toBeGreaterThan(0);
    expect(result.skipped[0]!.reason).toMatch(/terms: at least \d+ training rows are needed, got 16/);
    expect(result.trace.every((t) => (t.hyperparameters.degree as number) <= 2)).toBe(true);
  });

  it('tries a seeded random subset of the forest grid within the budget, defaults first', () => {
    expect(candidateGrid('random-forest', 10_000)).toHaveLength(37);
    const result = tuneHyperparameters(X, y, 'random-forest', { folds: 3, seed: 2, budget: 2 });
    expect(result.trace).toHaveLength(2);
    expect(result.trace[0]!.hyperparameters).toEqual({ nEstimators: 30, maxDepth: 10, maxFeatures: 1, maxSamples: 1000, minNodeSize: 3 });
    expect(tuneHyperparameters(X, y, 'random-forest', { folds: 3, seed: 2, budget: 2 }).trace).toEqual(result.trace);
  });
});
