import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { createArtifact, createPredictor, type ModelArtifact, predictRows } from './artifact.js';
import type { Algorithm } from './models/hyperparameters.js';
import { trainModel } from './models/model.js';
import { applyScaler, fitScaler } from './scaling.js';
import { SurfaceFactory } from './testing/surface.factory.js';

const surface = ([a, b, c]: number[]) => 50 + 3 * a! - 0.2 * b! ** 2 + a! * c!;
const { X, y } = SurfaceFactory.create({
  rows: 200,
  bounds: [
    [0, 10],
    [-5, 5],
    [100, 200],
  ],
  surface,
  noise: 0.1,
  seed: 8,
});

function artifactFor(algorithm: Algorithm): ModelArtifact {
  const scaler = fitScaler(X, 'standard');
  const model = trainModel(applyScaler(scaler, X), y, { algorithm, hyperparameters: algorithm === 'random-forest' ? { nEstimators: 5 } : {}, seed: 3 });
  return createArtifact({ factors: ['a', 'b', 'c'], response: 'y', scaler, model, X });
}

describe('model artifacts', () => {
  it.each(['ridge', 'polynomial', 'random-forest'] as Algorithm[])('predicts identically after JSON.stringify / parse (%s)', (algorithm) => {
    const artifact = artifactFor(algorithm);
    const restored = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    const rows = X.slice(0, 20);
    expect(predictRows(restored, rows)).toEqual(predictRows(artifact, rows));
    const predictor = createPredictor(restored);
    expect(rows.map(predictor)).toEqual(predictRows(artifact, rows));
  });

  it('records the training ranges and takes rows keyed by factor name', () => {
    const artifact = artifactFor('polynomial');
    expect(artifact.format).toBe('vista-model/1');
    expect(artifact.bounds.a![0]).toBeGreaterThanOrEqual(0);
    expect(artifact.bounds.a![1]).toBeLessThanOrEqual(10);
    expect(artifact.bounds.c![0]).toBeGreaterThanOrEqual(100);
    const [byName] = predictRows(artifact, [{ a: 5, b: 1, c: 150 }]);
    expect(byName).toBe(predictRows(artifact, [[5, 1, 150]])[0]);
    expect(byName).toBeCloseTo(surface([5, 1, 150]), 0);
  });

  it('refuses a missing or non-finite factor value, naming the row and factor', () => {
    const artifact = artifactFor('ridge');
    const pathOf = (rows: Parameters<typeof predictRows>[1]) => {
      try {
        predictRows(artifact, rows);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues?.[0]?.path;
      }
      return undefined;
    };
    expect(pathOf([[1, 2, 150], [1, 2, 150], [1, 2, 150], { a: 1, c: 150 }])).toBe('rows[3].b');
    expect(pathOf([[1, Number.POSITIVE_INFINITY, 150]])).toBe('rows[0].b');
    expect(pathOf([[1, 2]])).toBe('rows[0]');
  });

  it('refuses an artifact of another format', () => {
    const artifact = { ...artifactFor('ridge'), format: 'other/1' } as unknown as ModelArtifact;
    expect(() => predictRows(artifact, [[1, 2, 3]])).toThrow(ValidationError);
  });
});
