import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { cell, checkDataset } from './dataset.js';

describe('checkDataset', () => {
  it('accepts rows of numbers and nulls in the named columns', () => {
    const dataset = {
      factors: ['a'],
      responses: ['y'],
      rows: [
        { a: 1, y: null },
        { a: null, y: 2 },
      ],
    };
    expect(checkDataset(dataset)).toBe(dataset);
  });

  it('names the cell that is not a number', () => {
    try {
      checkDataset({
        factors: ['a'],
        responses: ['y'],
        rows: [
          { a: 1, y: 2 },
          { a: 'x', y: 2 },
        ],
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues?.[0]?.path).toBe('dataset.rows[1].a');
    }
  });

  it('refuses a column named twice or no factor', () => {
    expect(() => checkDataset({ factors: ['a'], responses: ['a'], rows: [] })).toThrow(ValidationError);
    expect(() => checkDataset({ factors: [], responses: ['y'], rows: [] })).toThrow(ValidationError);
  });
});

describe('cell', () => {
  it('reads a number and treats null, absence and non-finite values as missing', () => {
    expect(cell({ a: 1.5 }, 'a')).toBe(1.5);
    expect(cell({ a: null }, 'a')).toBeNull();
    expect(cell({}, 'a')).toBeNull();
    expect(cell({ a: Number.POSITIVE_INFINITY }, 'a')).toBeNull();
  });
});
