import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { applyScaler, fitScaler, invertScaler, type ScalingMethod } from './scaling.js';

describe('scalers', () => {
  const X = [
    [1, 10, 5],
    [2, 20, 5],
    [3, 30, 5],
    [4, 40, 5],
    [10, 50, 5],
  ];

  it('standardises to mean 0 and population std 1', () => {
    const state = fitScaler(X, 'standard');
    expect(state.center).toEqual([4, 30, 5]);
    expect(state.scale[1]).toBeCloseTo(Math.sqrt(200), 12);
    const Z = applyScaler(state, X);
    const col = Z.map((r) => r[1] as number);
    expect(col.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    expect(col.reduce((s, v) => s + v * v, 0) / col.length).toBeCloseTo(1, 12);
  });

  it('maps min–max to [0, 1] and robust to median 0 / IQR 1', () => {
    expect(applyScaler(fitScaler(X, 'minmax'), X).map((r) => r[0])).toEqual([0, 1 / 9, 2 / 9, 3 / 9, 1]);
    const robust = fitScaler(X, 'robust');
    // Column 0 sorted 1, 2, 3, 4, 10: median 3, Q1 2, Q3 4.
    expect(robust.center[0]).toBe(3);
    expect(robust.scale[0]).toBe(2);
  });

  it('gives a column without spread scale 1', () => {
    for (const method of ['standard', 'minmax', 'robust'] as ScalingMethod[]) expect(fitScaler(X, method).scale[2]).toBe(1);
    expect(fitScaler(X, 'none')).toEqual({ method: 'none', center: [0, 0, 0], scale: [1, 1, 1] });
  });

  it('round-trips: invert(apply(X)) = X, also after the state went through JSON', () => {
    for (const method of ['standard', 'minmax', 'robust', 'none'] as ScalingMethod[]) {
      const state = JSON.parse(JSON.stringify(fitScaler(X, method)));
      const back = invertScaler(state, applyScaler(state, X));
      back.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(X[i]![j]!, 10)));
    }
  });

  it('refuses an unknown method and a width mismatch', () => {
    expect(() => fitScaler(X, 'log' as ScalingMethod)).toThrow(ValidationError);
    expect(() => applyScaler(fitScaler(X, 'standard'), [[1, 2]])).toThrow(ValidationError);
  });
});
