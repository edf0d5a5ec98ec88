import { describe, expect, it } from '@jest/globals';
import { ValidationError, VistaError } from '@vista/contracts';
import { applyScaler, createArtifact, createPredictor, createRandom, fitScaler, trainModel } from '@vista/modeling';
import { optimize } from './optimizer.js';

const inside = (x: number[], bounds: [number, number][]) => x.every((v, j) => v >= bounds[j]![0] && v <= bounds[j]![1]);

/** Wraps an objective so every point it is asked about is checked against the box. */
function guarded(f: (x: number[]) => number, bounds: [number, number][]) {
  const outside: number[][] = [];
  return {
    outside,
    objective: (x: number[]) => {
      if (!inside(x, bounds)) outside.push(x);
      return f(x);
    },
  };
}

describe('optimize', () => {
  it('finds the minimum of a quadratic bowl inside the box to 1e-3 of each range', () => {
    const bounds: [number, number][] = [
      [0, 10],
      [-5, 5],
      [100, 200],
    ];
    const centre = [3.7, -1.2, 161];
    const bowl = (x: number[]) => 4 + (x[0]! - 3.7) ** 2 + 3 * (x[1]! + 1.2) ** 2 + 0.001 * (x[2]! - 161) ** 2;
    const { objective, outside } = guarded(bowl, bounds);
    const result = optimize(objective, bounds, { kind: 'minimize' }, { starts: 5, seed: 1 });
    result.best.x.forEach((v, j) => expect(Math.abs(v - centre[j]!) / (bounds[j]![1] - bounds[j]![0])).toBeLessThan(1e-3));
    expect(result.best.predicted).toBeCloseTo(4, 6);
    expect(result.best.objective).toBe(result.best.predicted);
    expect(outside).toEqual([]);
  });

  it('finds a maximum that lies on the boundary', () => {
    const bounds: [number, number][] = [
      [0, 1],
      [-2, 3],
      [0, 1],
    ];
    const ramp = (x: number[]) => x[0]! + 2 * x[1]! - (x[2]! - 0.3) ** 2;
    const { objective, outside } = guarded(ramp, bounds);
    const result = optimize(objective, bounds, { kind: 'maximize' }, { starts: 4, seed: 2 });
    expect(result.best.x[0]).toBeCloseTo(1, 6);
    expect(result.best.x[1]).toBeCloseTo(3, 6);
    expect(Math.abs(result.best.x[2]! - 0.3)).toBeLessThan(1e-3);
    expect(result.best.objective).toBeCloseTo(7, 5);
    expect(outside).toEqual([]);
  });

  it('hits a target value, reporting the distance as the objective', () => {
    const bounds: [number, number][] = [
      [-1, 1],
      [-1, 1],
    ];
    const result = optimize((x) => x[0]! ** 2 + x[1]! ** 2, bounds, { kind: 'target', target: 0.5 }, { seed: 3 });
    // The response spans 0 … 2 over the box.
    expect(Math.abs(result.best.predicted - 0.5) / 2).toBeLessThan(1e-3);
    expect(result.best.objective).toBeCloseTo(Math.abs(result.best.predicted - 0.5), 12);
  });

  it('traces each improvement in order, every traced point inside the bounds', () => {
    const bounds: [number, number][] = Array.from({ length: 4 }, () => [-2, 2] as [number, number]);
    const result = optimize((x) => x.reduce((s, v, j) => s + (v - j / 4) ** 2, 0), bounds, { kind: 'minimize' }, { starts: 3, seed: 4 });
    expect(result.trace.length).toBeGreaterThan(3);
    expect(result.trace.every((t) => inside(t.x, bounds))).toBe(true);
    for (let i = 1; i < result.trace.length; i++) {
      expect(result.trace[i]!.bestObjective).toBeLessThan(result.trace[i - 1]!.bestObjective);
      expect(result.trace[i]!.evaluation).toBeGreaterThan(result.trace[i - 1]!.evaluation);
    }
    expect(result.trace.at(-1)!.bestObjective).toBe(result.best.objective);
    expect(result.evaluations).toBeGreaterThanOrEqual(result.trace.at(-1)!.evaluation);
  });

  it('optimises a trained polynomial model over 10 factors through its predictor', () => {
    const random = createRandom(5);
    const optimum = Array.from({ length: 10 }, (_, j) => 0.2 + 0.06 * j);
    const surface = (x: number[]) => 10 - x.reduce((s, v, j) => s + (1 + j / 5) * (v - optimum[j]!) ** 2, 0);
    const X = Array.from({ length: 400 }, () => Array.from({ length: 10 }, () => random.uniform()));
    const scaler = fitScaler(X, 'standard');
    const model = trainModel(applyScaler(scaler, X), X.map(surface), { algorithm: 'polynomial', hyperparameters: { degree: 2 } });
    const artifact = createArtifact({ factors: optimum.map((_, j) => `x${j}`), response: 'y', scaler, model, X });
    const bounds = artifact.factors.map((f) => artifact.bounds[f]!);
    const result = optimize(createPredictor(artifact), bounds, { kind: 'maximize' }, { starts: 4, seed: 6 });
    result.best.x.forEach((v, j) => expect(Math.abs(v - optimum[j]!)).toBeLessThan(1e-3));
    expect(result.best.predicted).toBeCloseTo(10, 4);
  });

  it('is deterministic for a seed', () => {
    const bounds: [number, number][] = [
      [0, 1],
      [0, 1],
    ];
    const f = (x: number[]) => Math.sin(5 * x[0]!) * Math.cos(3 * x[1]!);
    expect(optimize(f, bounds, { kind: 'minimize' }, { seed: 9 })).toEqual(optimize(f, bounds, { kind: 'minimize' }, { seed: 9 }));
  });

  it('keeps a factor with low = high fixed and searches the others', () => {
    const result = optimize(
      (x) => (x[0]! - 2) ** 2 + x[1]!,
      [
        [0, 5],
        [7, 7],
      ],
      { kind: 'minimize' },
    );
    expect(result.best.x[1]).toBe(7);
    expect(result.best.x[0]).toBeCloseTo(2, 4);
  });

  it('refuses bad bounds, goals and options, naming the field', () => {
    const pathOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues?.[0]?.path;
      }
      return undefined;
    };
    const f = (x: number[]) => x[0]!;
    expect(
      pathOf(() =>
        optimize(
          f,
          [
            [0, 1],
            [2, 1],
          ],
          { kind: 'minimize' },
        ),
      ),
    ).toBe('bounds[1]');
    expect(pathOf(() => optimize(f, [[0, 1]], { kind: 'target' }))).toBe('goal.target');
    expect(pathOf(() => optimize(f, [[0, 1]], { kind: 'best' as never }))).toBe('goal.kind');
    expect(pathOf(() => optimize(f, [[0, 1]], { kind: 'minimize' }, { starts: 0 }))).toBe('options.starts');
  });

  it('ends with a reason when the model never predicts a finite value', () => {
    expect(() => optimize(() => Number.NaN, [[0, 1]], { kind: 'minimize' }, { starts: 1, maxIterations: 5 })).toThrow(VistaError);
  });
});
