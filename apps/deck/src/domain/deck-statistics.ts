import type { DeckTable } from './deck-table.js';

export type ColumnRole = 'factor' | 'response';

/** Statistics of one column over its non-missing cells; the numbers are `null` when there are none. */
export interface ColumnStatistics {
  name: string;
  role: ColumnRole;
  /** Cells holding a number. */
  count: number;
  /** Empty cells. */
  missing: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n − 1); `null` below two values. */
  std: number | null;
  median: number | null;
  /** Number of distinct values. */
  distinct: number;
  /** True when every value is the same: such a factor carries no information for a model. */
  constant: boolean;
}

export interface DeckStatistics {
  rowCount: number;
  columnCount: number;
  /** Rows without any missing cell. */
  completeRowCount: number;
  /** In the table's column order. */
  columns: ColumnStatistics[];
}

/** Per-column statistics of a deck, in one pass over the rows plus one typed-array sort per column. */
export const computeStatistics = (table: DeckTable): DeckStatistics => {
  const { columns, rows } = table;
  const width = columns.length;
  const rowCount = rows.length;
  // Column-major copies of the present values: sorting them gives median and distinct count.
  const values = columns.map(() => new Float64Array(rowCount));
  const counts = new Int32Array(width);
  const means = new Float64Array(width);
  const m2 = new Float64Array(width);
  let completeRowCount = 0;

  for (let r = 0; r < rowCount; r++) {
    const row = rows[r] as (number | null)[];
    let complete = true;
    for (let c = 0; c < width; c++) {
      const value = row[c];
      if (value === null || value === undefined) {
        complete = false;
        continue;
      }
      const n = (counts[c] as number) + 1;
      counts[c] = n;
      (values[c] as Float64Array)[n - 1] = value;
      // Welford's update: stable where a sum of squares would lose precision.
      const delta = value - (means[c] as number);
      means[c] = (means[c] as number) + delta / n;
      m2[c] = (m2[c] as number) + delta * (value - (means[c] as number));
    }
    if (complete) completeRowCount += 1;
  }

  const factors = new Set(table.factors);
  return {
    rowCount,
    columnCount: width,
    completeRowCount,
    columns: columns.map((name, c): ColumnStatistics => {
      const n = counts[c] as number;
      const sorted = (values[c] as Float64Array).subarray(0, n).sort();
      const min = n > 0 ? (sorted[0] as number) : null;
      const max = n > 0 ? (sorted[n - 1] as number) : null;
      return {
        name,
        role: factors.has(name) ? 'factor' : 'response',
        count: n,
        missing: rowCount - n,
        min,
        max,
        mean: n > 0 ? (means[c] as number) : null,
        std: n > 1 ? Math.sqrt((m2[c] as number) / (n - 1)) : null,
        median: medianOfSorted(sorted),
        distinct: distinctOfSorted(sorted),
        constant: n > 0 && min === max,
      };
    }),
  };
};

const medianOfSorted = (sorted: Float64Array): number | null => {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const distinctOfSorted = (sorted: Float64Array): number => {
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct += 1;
  return distinct;
};
