import { describe, expect, it } from '@jest/globals';
import { RandomForestRegression } from 'ml-random-forest';
import { SurfaceFactory } from '../testing/surface.factory.js';
import { DEFAULT_HYPERPARAMETERS } from './hyperparameters.js';
import { fitRandomForest, loadRandomForest, rowsPerTree } from './random-forest.js';

describe('random forest', () => {
  it('reads maxSamples as a fraction up to 1 and as a row count above', () => {
    expect(rowsPerTree(0.1, 5000)).toBe(500);
    expect(rowsPerTree(1, 300)).toBe(300);
    expect(rowsPerTree(1000, 300)).toBe(300);
    expect(rowsPerTree(1000, 100_000)).toBe(1000);
  });

  it('stores ml-random-forest’s JSON with one tree per estimator, loadable by the library itself', () => {
    const { X, y } = SurfaceFactory.create({
      rows: 300,
      bounds: [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      surface: ([a, b, c]) => a! + b! * c!,
      seed: 2,
    });
    const state = fitRandomForest(X, y, { ...DEFAULT_HYPERPARAMETERS['random-forest'], nEstimators: 4, maxFeatures: 2 }, 5);
    expect(state.name).toBe('RFRegression');
    expect(state.baseModel.nEstimators).toBe(4);
    expect(state.baseModel.estimators).toHaveLength(4);
    expect(state.baseModel.indexes.every((used) => used.length === 2)).toBe(true);
    const viaLibrary = RandomForestRegression.load(JSON.parse(JSON.stringify(state))).predict(X.slice(0, 10));
    expect(loadRandomForest(state).predict(X.slice(0, 10))).toEqual(viaLibrary);
  });
});
