import { describe, expect, it } from '@jest/globals';
import { column, mean, median, quantileOfSorted, std } from './statistics.js';

describe('statistics', () => {
  it('computes mean, population std and type-7 quantiles', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(quantileOfSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reads a column of a row-major matrix', () => {
    expect([
      ...column(
        [
          [1, 2],
          [3, 4],
        ],
        1,
      ),
    ]).toEqual([2, 4]);
  });
});
