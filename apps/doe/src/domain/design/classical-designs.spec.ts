import { describe, expect, it } from '@jest/globals';
import { boxBehnken, centralComposite, fullFactorial } from './classical-designs.js';

describe('classical designs in coded units', () => {
  it('lists a full factorial with the last factor varying fastest', () => {
    expect(fullFactorial(2, 3)).toEqual([
      [-1, -1],
      [-1, 0],
      [-1, 1],
      [0, -1],
      [0, 0],
      [0, 1],
      [1, -1],
      [1, 0],
      [1, 1],
    ]);
  });

  it('scales a central composite design by alpha so axial points sit at ±1', () => {
    const points = centralComposite(2, Math.SQRT2, 1);
    expect(points).toHaveLength(4 + 4 + 1);
    expect(points[0]![0]).toBeCloseTo(-1 / Math.SQRT2, 12);
    expect(points.slice(4, 8)).toEqual([
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ]);
  });

  it('builds Box–Behnken edge midpoints for every pair of factors', () => {
    expect(boxBehnken(4, 0)).toHaveLength(24);
    expect(boxBehnken(3, 2).slice(12)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});
