import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { type DesignFactor, type DesignSpec, generateDesign } from './design.js';

const factors3: DesignFactor[] = [
  { name: 'temperature', low: 20, high: 80 },
  { name: 'pressure', low: 1, high: 5 },
  { name: 'ratio', low: -1, high: 1 },
];

const insideBounds = (points: number[][], factors: DesignFactor[]) => points.every((p) => p.every((v, j) => v >= factors[j]!.low && v <= factors[j]!.high));

function pathOf(spec: DesignSpec): string | undefined {
  try {
    generateDesign(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues?.[0]?.path;
  }
  return undefined;
}

describe('generateDesign — full factorial', () => {
  it('puts 3 levels × 3 factors on an even 27-point grid including the bounds', () => {
    const { points, info } = generateDesign({ type: 'full-factorial', factors: factors3, levels: 3 });
    expect(points).toHaveLength(27);
    expect(info).toMatchObject({ type: 'full-factorial', pointCount: 27, factorCount: 3, levels: 3 });
    expect(new Set(points.map((p) => p[0]))).toEqual(new Set([20, 50, 80]));
    expect(new Set(points.map((p) => p.join()))).toHaveProperty('size', 27);
    expect(insideBounds(points, factors3)).toBe(true);
  });

  it('refuses more than 100,000 points, naming doe.levels', () => {
    const factors = Array.from({ length: 11 }, (_, i) => ({ name: `x${i}`, low: 0, high: 1 }));
    expect(pathOf({ type: 'full-factorial', factors, levels: 3 })).toBe('doe.levels');
    expect(pathOf({ type: 'full-factorial', factors: factors3, levels: 1 })).toBe('doe.levels');
  });
});

describe('generateDesign — central composite', () => {
  it('has 8 corners, 6 axial points and the centre for 3 factors, with rotatable axial points on the bounds', () => {
    const { points, info } = generateDesign({ type: 'central-composite', factors: factors3 });
    expect(points).toHaveLength(8 + 6 + 1);
    expect(insideBounds(points, factors3)).toBe(true);
    const alpha = 8 ** 0.25;
    expect(info.alpha).toMatchObject({ kind: 'rotatable', value: alpha, scaledToBounds: true });
    // Axial points of temperature sit on its bounds; corners at ±1/alpha of the half-range (30).
    const axial = points.slice(8, 14);
    expect(axial.map((p) => p[0])).toEqual([20, 80, 50, 50, 50, 50]);
    expect(points[0]![0]).toBeCloseTo(50 - 30 / alpha, 10);
    expect(points[14]).toEqual([50, 3, 0]);
  });

  it('puts corners on the bounds when face-centred, with the centre points asked for', () => {
    const { points } = generateDesign({ type: 'central-composite', factors: factors3, alpha: 'face-centered', centerPoints: 3 });
    expect(points).toHaveLength(8 + 6 + 3);
    expect(points[0]).toEqual([20, 1, -1]);
    expect(points.slice(14)).toEqual([
      [50, 3, 0],
      [50, 3, 0],
      [50, 3, 0],
    ]);
  });

  it('refuses more than 10 factors', () => {
    const factors = Array.from({ length: 11 }, (_, i) => ({ name: `x${i}`, low: 0, high: 1 }));
    expect(pathOf({ type: 'central-composite', factors })).toBe('doe.factors');
  });
});

describe('generateDesign — Box–Behnken', () => {
  it('has 12 edge midpoints and the centre for 3 factors, all inside the bounds', () => {
    const { points } = generateDesign({ type: 'box-behnken', factors: factors3 });
    expect(points).toHaveLength(13);
    expect(insideBounds(points, factors3)).toBe(true);
    // Each edge midpoint has exactly one factor at its middle.
    expect(points.slice(0, 12).every((p) => p.filter((v, j) => v === (factors3[j]!.low + factors3[j]!.high) / 2).length === 1)).toBe(true);
  });

  it('refuses fewer than 3 factors, naming doe.design', () => {
    expect(pathOf({ type: 'box-behnken', factors: factors3.slice(0, 2) })).toBe('doe.design');
  });
});

describe('generateDesign — Latin hypercube', () => {
  const spec: DesignSpec = { type: 'latin-hypercube', factors: factors3, points: 40, seed: 7 };

  it('has one point in each of the n strata of every factor, inside the bounds', () => {
    const { points, info } = generateDesign(spec);
    expect(points).toHaveLength(40);
    expect(info.pointCount).toBe(40);
    expect(insideBounds(points, factors3)).toBe(true);
    factors3.forEach((f, j) => {
      const strata = points.map((p) => Math.floor(((p[j]! - f.low) / (f.high - f.low)) * 40));
      expect(new Set(strata).size).toBe(40);
    });
  });

  it('spreads points farther apart with maximin than a plain random hypercube from the same seed', () => {
    for (const seed of [1, 2, 3]) {
      const maximin = generateDesign({ ...spec, seed });
      const plain = generateDesign({ ...spec, seed, criterion: 'none' });
      expect(maximin.info.criterion!.name).toBe('maximin');
      expect(maximin.info.criterion!.minDistance).toBeGreaterThan(1.5 * plain.info.minDistance!);
      expect(maximin.info.criterion!.minDistance).toBeGreaterThanOrEqual(maximin.info.criterion!.initialMinDistance);
    }
  });

  it('is deterministic for a seed', () => {
    expect(generateDesign(spec)).toEqual(generateDesign(spec));
    expect(generateDesign({ ...spec, seed: 8 }).points).not.toEqual(generateDesign(spec).points);
  });

  it('falls back to a plain hypercube above 20,000 points and says so', () => {
    const { points, info } = generateDesign({ type: 'latin-hypercube', factors: factors3.slice(0, 2), points: 20_001 });
    expect(points).toHaveLength(20_001);
    expect(info.criterion).toBeUndefined();
    expect(info.note).toMatch(/plain random Latin hypercube/);
  });

  it('reports the min distance it claims', () => {
    const { points, info } = generateDesign({ ...spec, points: 25 });
    const unit = points.map((p) => p.map((v, j) => (v - factors3[j]!.low) / (factors3[j]!.high - factors3[j]!.low)));
    let best = Infinity;
    for (let a = 0; a < unit.length; a++)
      for (let b = a + 1; b < unit.length; b++) best = Math.min(best, Math.hypot(...unit[a]!.map((v, j) => v - unit[b]![j]!)));
    expect(info.criterion!.minDistance).toBeCloseTo(best, 12);
  });
});

describe('generateDesign — validation', () => {
  it('names the field that is wrong', () => {
    expect(pathOf({ type: 'latin-hypercube', factors: factors3, points: 1 })).toBe('doe.points');
    expect(pathOf({ type: 'latin-hypercube', factors: [{ name: 'a', low: 2, high: 2 }] })).toBe('doe.factors[0].high');
    expect(pathOf({ type: 'latin-hypercube', factors: [{ name: 'a', low: Number.NaN, high: 2 }] })).toBe('doe.factors[0].low');
    expect(pathOf({ type: 'latin-hypercube', factors: [] })).toBe('doe.factors');
    expect(pathOf({ type: 'sobol' as never, factors: factors3 })).toBe('doe.design');
    expect(pathOf({ type: 'central-composite', factors: factors3, centerPoints: -1 })).toBe('doe.centerPoints');
    expect(pathOf({ type: 'latin-hypercube', factors: [factors3[0]!, factors3[0]!] })).toBe('doe.factors[1].name');
  });

  it('ignores parameters that belong to other design types', () => {
    expect(generateDesign({ type: 'box-behnken', factors: factors3, points: 7, levels: 9 }).points).toHaveLength(13);
  });
});
