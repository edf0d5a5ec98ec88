import { describe, it, expect } from '@jest/globals';
import { DeckValidationError } from './deck-validation.error.js';

const issue = (row: number) => ({ row, column: 'x', message: `data row ${row} (line ${row + 1}), column "x": "a" is not a number` });

describe('DeckValidationError', () => {
  it('states a single problem in its message', () => {
    const error = new DeckValidationError([issue(1)]);

    expect(error.message).toBe('The deck is invalid: data row 1 (line 2), column "x": "a" is not a number');
    expect(error).toMatchObject({ name: 'DeckValidationError', code: 'invalid', truncated: false });
  });

  it('shows the first five problems and points to the rest', () => {
    const error = new DeckValidationError([1, 2, 3, 4, 5, 6, 7].map(issue));

    expect(error.message).toMatch(/^The deck is invalid, 7 problems: data row 1 .*data row 5 [^;]*\(and 2 more listed in issues\)$/);
    expect(error.message).not.toMatch(/data row 6/);
  });

  it('keeps its cause', () => {
    const cause = new SyntaxError('Unexpected end of JSON input');

    expect(new DeckValidationError([{ message: 'the file is not valid JSON' }], { cause }).cause).toBe(cause);
  });
});
