import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { createRandom } from './random.js';

describe('createRandom', () => {
  it('repeats the same stream for the same seed and another for another seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(first);
  });

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0 and variance 1', () => {
    const random = createRandom(3);
    const u = Array.from({ length: 20000 }, () => random.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const z = Array.from({ length: 20000 }, () => random.normal());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffles into a permutation and draws integers below n', () => {
    const random = createRandom(11);
    const permutation = random.permutation(100);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(permutation).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const ints = Array.from({ length: 1000 }, () => random.integer(6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(random.nextSeed()).toBeLessThan(2 ** 31);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => createRandom(1.5)).toThrow(ValidationError);
  });
});
