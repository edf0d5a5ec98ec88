import type { DeckTable } from '../deck-table.js';

type Cell = number | string | null;

export interface DeckCsvOptions {
  columns?: string[];
  rows?: Cell[][];
  delimiter?: string;
  /** Line ending between records. */
  eol?: string;
}

const DEFAULT_COLUMNS = ['x1', 'x2', 'y'];
const DEFAULT_ROWS: Cell[][] = [
  [1, 10, 0.5],
  [2, 20, 1.5],
  [3, 30, 2.5],
];

/** Builds deck files (CSV text) for tests. */
export const DeckCsvFactory = {
  create({ columns = DEFAULT_COLUMNS, rows = DEFAULT_ROWS, delimiter = ',', eol = '\n' }: DeckCsvOptions = {}): string {
    return [columns.join(delimiter), ...rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))).join(delimiter))].join(eol);
  },

  /**
   * A large deck with `factorCount` factors and one response `y`; cell values follow a fixed
   * pattern so statistics are known: factor k of row r is `(r % 100) + k`, y is `r`.
   */
  generated({ rowCount, factorCount = 4 }: { rowCount: number; factorCount?: number }): string {
    const header = [...Array.from({ length: factorCount }, (_, k) => `x${k + 1}`), 'y'].join(',');
    const lines = new Array<string>(rowCount + 1);
    lines[0] = header;
    for (let r = 0; r < rowCount; r++) {
      let line = '';
      for (let k = 0; k < factorCount; k++) line += `${(r % 100) + k},`;
      lines[r + 1] = `${line}${r}`;
    }
    return lines.join('\n');
  },
};

/** Builds parsed deck tables for tests. */
export const DeckTableFactory = {
  create(overrides: Partial<DeckTable> = {}): DeckTable {
    return {
      columns: ['x1', 'x2', 'y'],
      factors: ['x1', 'x2'],
      responses: ['y'],
      rows: [
        [1, 10, 0.5],
        [2, 20, 1.5],
        [3, 30, 2.5],
      ],
      ...overrides,
    };
  },
};
