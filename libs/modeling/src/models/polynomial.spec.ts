import { describe, expect, it } from '@jest/globals';
import { polynomialFeatures, polynomialTermCount, polynomialTerms } from './polynomial.js';

describe('polynomial terms', () => {
  it('lists every monomial up to the degree, interactions included, graded', () => {
    expect(polynomialTerms(2, 2)).toEqual([[0], [1], [0, 0], [0, 1], [1, 1]]);
    expect(polynomialTerms(3, 3)).toHaveLength(19);
  });

  it('counts C(k + d, d) coefficients with the intercept', () => {
    expect(polynomialTermCount(10, 2)).toBe(66);
    expect(polynomialTermCount(10, 4)).toBe(1001);
    expect(polynomialTerms(10, 4)).toHaveLength(1000);
  });

  it('expands a point into the products of its factors', () => {
    const map = polynomialFeatures(polynomialTerms(2, 3));
    const out = new Float64Array(map.width);
    map.expand([2, 3], out);
    expect([...out]).toEqual([2, 3, 4, 6, 9, 8, 12, 18, 27]);
  });
});
