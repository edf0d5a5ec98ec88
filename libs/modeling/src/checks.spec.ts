import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { checkInteger, checkMatrix, checkVector, fmtCount, fmtValue } from './checks.js';

const pathOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues?.[0]?.path;
  }
  return undefined;
};

describe('checks', () => {
  it('returns the shape of a well-formed matrix and names the first bad cell or row', () => {
    expect(
      checkMatrix([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ).toEqual({ rows: 3, columns: 2 });
    expect(pathOf(() => checkMatrix([[1, 2], [3]]))).toBe('X[1]');
    expect(
      pathOf(() =>
        checkMatrix([
          [1, 2],
          [3, Number.NaN],
        ]),
      ),
    ).toBe('X[1][1]');
    expect(pathOf(() => checkMatrix([]))).toBe('X');
  });

  it('checks vector length and integer ranges', () => {
    expect(pathOf(() => checkVector([1, 2], 3))).toBe('y');
    expect(pathOf(() => checkInteger(2.5, 'folds', 2))).toBe('folds');
    expect(checkInteger(3, 'folds', 2, 5)).toBe(3);
  });

  it('formats numbers for messages', () => {
    expect(fmtCount(100000)).toBe('100,000');
    expect(fmtValue(3.2000000001)).toBe('3.2');
  });
});
