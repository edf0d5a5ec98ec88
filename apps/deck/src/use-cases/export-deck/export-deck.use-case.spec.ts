import { describe, expect, it } from '@jest/globals';
import { toCsv } from './export-deck.use-case.js';

describe('toCsv', () => {
  it('writes the header and rows, quoting names that need it and leaving missing cells empty', () => {
    expect(
      toCsv(
        ['x', 'a,b', 'y'],
        [
          [1, 2.5, null],
          [-3, 0, 1e-7],
        ],
      ),
    ).toBe('x,"a,b",y\r\n1,2.5,\r\n-3,0,1e-7\r\n');
  });
});
