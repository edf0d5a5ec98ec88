import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { DEFAULT_HYPERPARAMETERS, resolveHyperparameters } from './hyperparameters.js';

describe('resolveHyperparameters', () => {
  it('fills in each algorithm’s defaults and keeps only its own keys', () => {
    expect(resolveHyperparameters('ridge', undefined)).toEqual({ alpha: 1e-6 });
    expect(resolveHyperparameters('polynomial', { degree: 3, nEstimators: 5 })).toEqual({ degree: 3, alpha: 1e-6 });
    expect(resolveHyperparameters('random-forest', { maxSamples: 0.1, alpha: 2 })).toEqual({ ...DEFAULT_HYPERPARAMETERS['random-forest'], maxSamples: 0.1 });
  });

  it('names an out-of-range value or an unknown key', () => {
    const pathOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues?.[0]?.path;
      }
      return undefined;
    };
    expect(pathOf(() => resolveHyperparameters('ridge', { alpha: -1 }))).toBe('hyperparameters.alpha');
    expect(pathOf(() => resolveHyperparameters('polynomial', { degree: 5 }))).toBe('hyperparameters.degree');
    expect(pathOf(() => resolveHyperparameters('random-forest', { maxSamples: 2.5 }))).toBe('hyperparameters.maxSamples');
    expect(pathOf(() => resolveHyperparameters('random-forest', { maxFeatures: 0 }))).toBe('hyperparameters.maxFeatures');
    expect(pathOf(() => resolveHyperparameters('ridge', { lambda: 1 } as never))).toBe('hyperparameters.lambda');
  });
});
