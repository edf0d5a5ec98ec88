import { describe, expect, it } from '@jest/globals';
import { createRandom } from '@vista/modeling';
import { defaultCandidates, maximinLatinHypercube, minDistance, randomLatinHypercube } from './latin-hypercube.js';

describe('Latin hypercubes in the unit cube', () => {
  it('measures the smallest pairwise distance exactly', () => {
    const design = { n: 3, k: 2, x: Float64Array.from([0.1, 0.1, 0.9, 0.9, 0.4, 0.5]) };
    expect(minDistance(design)).toBeCloseTo(Math.hypot(0.3, 0.4), 12);
  });

  it('keeps one point per stratum in every column through the swaps', () => {
    const { design, report } = maximinLatinHypercube(60, 4, createRandom(3), 3);
    for (let j = 0; j < 4; j++) {
      const strata = new Set(Array.from({ length: 60 }, (_, i) => Math.floor(design.x[i * 4 + j]! * 60)));
      expect(strata.size).toBe(60);
    }
    expect(report.swapsAccepted).toBeGreaterThan(0);
    expect(report.minDistance).toBeCloseTo(minDistance(design), 12);
    expect(report.minDistance).toBeGreaterThan(report.initialMinDistance);
  });

  it('beats the best of its own random candidates', () => {
    const plain = minDistance(randomLatinHypercube(200, 5, createRandom(4)));
    const { report } = maximinLatinHypercube(200, 5, createRandom(4), 1);
    expect(report.initialMinDistance).toBe(plain);
    expect(report.minDistance).toBeGreaterThan(2 * plain);
  });

  it('draws fewer random candidates for large designs', () => {
    expect(defaultCandidates(100)).toBe(10);
    expect(defaultCandidates(10_000)).toBe(1);
  });
});
