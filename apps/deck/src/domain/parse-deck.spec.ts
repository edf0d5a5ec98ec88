import { describe, it, expect } from '@jest/globals';
import { computeStatistics } from './deck-statistics.js';
import { DECK_LIMITS } from './deck-table.js';
import { DeckValidationError } from './deck-validation.error.js';
import { detectDelimiter, isResponseName, parseDeck, type ParseDeckInput } from './parse-deck.js';
import { DeckCsvFactory } from './testing/deck-csv.factory.js';

const csv = (content: string | Buffer, split: Pick<ParseDeckInput, 'factors' | 'responses'> = {}) => parseDeck({ format: 'csv', content, ...split });
const json = (content: unknown, split: Pick<ParseDeckInput, 'factors' | 'responses'> = {}) =>
  parseDeck({ format: 'json', content: typeof content === 'string' ? content : JSON.stringify(content), ...split });

/** Runs `parse`, expecting a DeckValidationError, and returns it. */
const rejection = (parse: () => unknown): DeckValidationError => {
  try {
    parse();
  } catch (error) {
    if (error instanceof DeckValidationError) return error;
    throw error;
  }
  throw new Error('expected the deck to be refused');
};

describe('parseDeck from CSV', () => {
  it('reads factors, responses and numeric rows in file order', () => {
    const table = csv(DeckCsvFactory.create());

    expect(table).toEqual({
      columns: ['x1', 'x2', 'y'],
      factors: ['x1', 'x2'],
      responses: ['y'],
      rows: [
        [1, 10, 0.5],
        [2, 20, 1.5],
        [3, 30, 2.5],
      ],
    });
  });

  it('detects semicolon and tab delimiters', () => {
    expect(csv(DeckCsvFactory.create({ delimiter: ';' })).rows[1]).toEqual([2, 20, 1.5]);
    expect(csv(DeckCsvFactory.create({ delimiter: '\t' })).rows[1]).toEqual([2, 20, 1.5]);
  });

  it('tolerates a byte order mark, Windows line endings, padding and blank lines', () => {
    const content = Buffer.from('\ufeff x1 , x2 ,y\r\n\r\n 1 , 2 ,3\r\n   \r\n4,5,6\r\n');

    const table = csv(content);

    expect(table.columns).toEqual(['x1', 'x2', 'y']);
    expect(table.rows).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('reads quoted numbers and scientific notation', () => {
    const table = csv('x,y\n"1.5",-2e3\n" .25 ",+4E-2\n');

    expect(table.rows).toEqual([
      [1.5, -2000],
      [0.25, 0.04],
    ]);
  });

  it('keeps empty cells as missing values', () => {
    const table = csv(
      DeckCsvFactory.create({
        rows: [
          [1, null, 3],
          [null, 5, 6],
          [7, 8, null],
        ],
      }),
    );

    expect(table.rows).toEqual([
      [1, null, 3],
      [null, 5, 6],
      [7, 8, null],
    ]);
  });

  it('refuses an empty file', () => {
    expect(rejection(() => csv('')).message).toMatch(/the file is empty/);
    expect(rejection(() => csv('\ufeff\n\n  \n')).message).toMatch(/the file is empty/);
  });

  it('refuses a file whose first line is data rather than a header', () => {
    const error = rejection(() => csv('1,2,3\n4,5,6\n7,8,9'));

    expect(error.issues).toEqual([{ line: 1, message: expect.stringMatching(/header row naming the columns is required/) }]);
  });

  it('refuses duplicate and empty column names, naming each', () => {
    const error = rejection(() => csv('x1,,x1,y\n1,2,3,4\n5,6,7,8'));

    expect(error.issues.map((issue) => issue.message)).toEqual(['column 2 of the header has no name', 'column name "x1" appears twice (columns 1 and 3)']);
    expect(error.code).toBe('invalid');
  });

  it('names the data row, the file line and the column of a non-numeric cell', () => {
    const error = rejection(() => csv('x1,x2,y\n\n1,2,3\n4,abc,6\n7,8,9'));

    expect(error.issues).toEqual([{ row: 2, line: 4, column: 'x2', message: 'data row 2 (line 4), column "x2": "abc" is not a number' }]);
    expect(error.message).toBe('The deck is invalid: data row 2 (line 4), column "x2": "abc" is not a number');
  });

  it('hints at the decimal separator when a cell uses a decimal comma', () => {
    const error = rejection(() => csv('x;y\n1,5;2\n3;4'));

    expect(error.issues[0]?.message).toBe('data row 1 (line 2), column "x": "1,5" is not a number (use "." as the decimal separator)');
  });

  it('refuses non-finite numbers, including ones that overflow', () => {
    const error = rejection(() => csv('x,y\nNaN,1\n2,Infinity\n1e400,3'));

    expect(error.issues.map(({ row, column }) => ({ row, column }))).toEqual([
      { row: 1, column: 'x' },
      { row: 2, column: 'y' },
      { row: 3, column: 'x' },
    ]);
    expect(error.issues.every((issue) => issue.message.endsWith('is not a finite number'))).toBe(true);
  });

  it('refuses hexadecimal and other non-decimal notations', () => {
    const error = rejection(() => csv('x,y\n0x1F,1\n2,3'));

    expect(error.issues[0]?.message).toMatch(/"0x1F" is not a number/);
  });

  it('refuses ragged rows, saying how many cells they have', () => {
    const error = rejection(() => csv('x1,x2,y\n1,2,3\n4,5\n6,7,8,9'));

    expect(error.issues).toEqual([
      { row: 2, line: 3, message: 'data row 2 (line 3): has 2 cells but the header has 3 columns' },
      { row: 3, line: 4, message: 'data row 3 (line 4): has 4 cells but the header has 3 columns' },
    ]);
  });

  it('collects problems across rows and stops after the limit', () => {
    const rows = Array.from({ length: 50 }, () => ['bad', 1, 2]);

    const error = rejection(() => csv(DeckCsvFactory.create({ rows })));

    expect(error.issues).toHaveLength(DECK_LIMITS.maxIssues);
    expect(error.truncated).toBe(true);
    expect(error.issues.map((issue) => issue.row)).toEqual(Array.from({ length: DECK_LIMITS.maxIssues }, (_, i) => i + 1));
    expect(error.message).toMatch(/^The deck is invalid, 20 or more problems: data row 1 \(line 2\)/);
  });

  it('refuses a deck with fewer than two data rows', () => {
    const error = rejection(() => csv('x,y\n1,2\n'));

    expect(error.message).toBe('The deck is invalid: the deck has 1 data row; at least 2 are needed');
  });

  it('refuses a column whose cells are all empty', () => {
    const error = rejection(() =>
      csv(
        DeckCsvFactory.create({
          rows: [
            [1, null, 3],
            [2, null, 4],
          ],
        }),
      ),
    );

    expect(error.issues).toEqual([{ column: 'x2', message: 'column "x2" has no values: every cell is empty' }]);
  });

  it('refuses more columns than the limit', () => {
    const columns = [...Array.from({ length: DECK_LIMITS.maxColumns }, (_, i) => `x${i + 1}`), 'y'];

    const error = rejection(() => csv(DeckCsvFactory.create({ columns, rows: [columns.map(() => 1)] })));

    expect(error.message).toMatch(/the deck has 201 columns; at most 200 are allowed/);
  });

  it('refuses a deck with a single column', () => {
    expect(rejection(() => csv('y\n1\n2')).message).toMatch(/needs at least one factor and one response column/);
  });

  it('reports an unclosed quote with its line', () => {
    const error = rejection(() => csv('x,y\n1,2\n"3,4\n'));

    expect(error.issues[0]?.line).toBe(3);
    expect(error.issues[0]?.message).toMatch(/^line 3: Quote Not Closed/);
  });

  it('parses a 200k-row deck and computes its statistics', () => {
    const rowCount = 200_000;
    const table = csv(DeckCsvFactory.generated({ rowCount, factorCount: 4 }));

    const stats = computeStatistics(table);

    expect(table.rows).toHaveLength(rowCount);
    expect(stats.rowCount).toBe(rowCount);
    expect(stats.columns.find((column) => column.name === 'x1')).toMatchObject({ min: 0, max: 99, distinct: 100, missing: 0 });
    expect(stats.columns.find((column) => column.name === 'y')).toMatchObject({ role: 'response', mean: (rowCount - 1) / 2, median: (rowCount - 1) / 2 });
  });
});

describe('parseDeck from JSON', () => {
  it('reads an array of row objects, keys of the first row naming the columns', () => {
    const table = json([
      { x1: 1, x2: '2.5', y: 3 },
      { x1: 4, x2: null, y: 6 },
      { x1: 7, y: 9 },
    ]);

    expect(table).toEqual({
      columns: ['x1', 'x2', 'y'],
      factors: ['x1', 'x2'],
      responses: ['y'],
      rows: [
        [1, 2.5, 3],
        [4, null, 6],
        [7, null, 9],
      ],
    });
  });

  it('reads an object of columns and rows', () => {
    const table = json({
      columns: ['a', 'b', 'response'],
      rows: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });

    expect(table.responses).toEqual(['response']);
    expect(table.rows).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('tolerates a byte order mark in a buffer', () => {
    const content = Buffer.from(
      `\ufeff${JSON.stringify([
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ])}`,
    );

    expect(parseDeck({ format: 'json', content }).rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('refuses text that is not JSON', () => {
    expect(rejection(() => json('{"columns": [')).message).toMatch(/^The deck is invalid: the file is not valid JSON/);
  });

  it('refuses JSON of another shape', () => {
    expect(rejection(() => json({ data: [] })).message).toMatch(/must be an array of row objects/);
  });

  it('names the row and column of a value that is not a number', () => {
    const error = rejection(() =>
      json([
        { x: 1, y: 2 },
        { x: true, y: 'abc' },
      ]),
    );

    expect(error.issues).toEqual([
      { row: 2, column: 'x', message: 'data row 2 (index 1), column "x": true is not a number' },
      { row: 2, column: 'y', message: 'data row 2 (index 1), column "y": "abc" is not a number' },
    ]);
  });

  it('refuses a row object with a column the first row does not have', () => {
    const error = rejection(() =>
      json([
        { x: 1, y: 2 },
        { x: 3, y: 4, z: 5 },
      ]),
    );

    expect(error.issues).toEqual([{ row: 2, column: 'z', message: 'data row 2 (index 1): has column "z", which the first row does not have' }]);
  });

  it('refuses rows that are not arrays of the right length', () => {
    const error = rejection(() => json({ columns: ['x', 'y'], rows: [[1, 2], [3], 'row'] }));

    expect(error.issues.map((issue) => issue.message)).toEqual([
      'data row 2 (index 1): has 1 cell but "columns" names 2',
      'data row 3 (index 2): is "row", not an array of cells',
    ]);
  });

  it('refuses an empty array', () => {
    expect(rejection(() => json([])).message).toMatch(/holds no rows/);
  });
});

describe('factor and response columns', () => {
  it('takes y, numbered y, response and prefixed names as responses by convention', () => {
    for (const name of ['y', 'Y', 'y1', 'y12', 'response', 'Response_rate', 'resp_yield', 'y_mean']) expect(isResponseName(name)).toBe(true);
    for (const name of ['x', 'yield', 'ya', 'resp', 'temp']) expect(isResponseName(name)).toBe(false);
  });

  it('splits several response columns by their names, wherever they stand', () => {
    const table = csv('y1,temp,y2,pressure\n1,2,3,4\n5,6,7,8');

    expect(table.factors).toEqual(['temp', 'pressure']);
    expect(table.responses).toEqual(['y1', 'y2']);
    expect(table.columns).toEqual(['y1', 'temp', 'y2', 'pressure']);
  });

  it('takes the last column as the response when no name marks one', () => {
    const table = csv('temp,pressure,yield\n1,2,3\n4,5,6');

    expect(table.factors).toEqual(['temp', 'pressure']);
    expect(table.responses).toEqual(['yield']);
  });

  it('refuses a deck whose every column is named like a response', () => {
    expect(rejection(() => csv('y1,y2\n1,2\n3,4')).message).toMatch(/no factor column/);
  });

  it('uses explicit lists and leaves other columns out without reading them', () => {
    const table = csv('id,temp,label,yield\n1,20,alpha,0.5\n2,25,beta,0.7', { factors: ['temp'], responses: ['yield'] });

    expect(table).toEqual({
      columns: ['temp', 'yield'],
      factors: ['temp'],
      responses: ['yield'],
      rows: [
        [20, 0.5],
        [25, 0.7],
      ],
    });
  });

  it('takes the remaining columns as responses when only factors are given', () => {
    const table = csv('a,b,c\n1,2,3\n4,5,6', { factors: ['a'] });

    expect(table.factors).toEqual(['a']);
    expect(table.responses).toEqual(['b', 'c']);
  });

  it('takes the remaining columns as factors when only responses are given', () => {
    const table = json(
      [
        { a: 1, b: 2, c: 3 },
        { a: 4, b: 5, c: 6 },
      ],
      { responses: ['a'] },
    );

    expect(table.factors).toEqual(['b', 'c']);
    expect(table.responses).toEqual(['a']);
  });

  it('refuses listed columns the deck does not have', () => {
    const error = rejection(() => csv('a,b,c\n1,2,3\n4,5,6', { factors: ['a', 'q'], responses: ['z'] }));

    expect(error.issues).toEqual([
      { column: 'q', message: 'factor column "q" is not in the deck (its columns are "a", "b", "c")' },
      { column: 'z', message: 'response column "z" is not in the deck (its columns are "a", "b", "c")' },
    ]);
  });

  it('refuses a column listed both as a factor and as a response', () => {
    const error = rejection(() => csv('a,b,c\n1,2,3\n4,5,6', { factors: ['a', 'b'], responses: ['b'] }));

    expect(error.issues).toEqual([{ column: 'b', message: 'column "b" is listed both as a factor and as a response' }]);
  });

  it('refuses an empty explicit list', () => {
    expect(rejection(() => csv('a,b\n1,2\n3,4', { factors: [], responses: ['b'] })).message).toMatch(/the factor list is empty/);
  });
});

describe('detectDelimiter', () => {
  it('ignores delimiters inside quotes and blank leading lines', () => {
    expect(detectDelimiter('\n"a,b";"c,d";e\n1;2;3')).toBe(';');
  });

  it('falls back to a comma when the header has no delimiter', () => {
    expect(detectDelimiter('single\n1')).toBe(',');
  });
});
