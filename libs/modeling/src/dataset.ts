import { invalid } from './checks.js';

/**
 * A table to learn from: a deck or a labelled DOE design. One object per row keyed by column name;
 * `null` (or a missing key) is a missing cell.
 */
export interface Dataset {
  factors: string[];
  responses: string[];
  rows: Record<string, number | null>[];
}

/** Checks a dataset's shape: named, distinct columns and rows of numbers or nulls in those columns. */
export function checkDataset(dataset: unknown, path = 'dataset'): Dataset {
  if (typeof dataset !== 'object' || dataset === null) invalid(path, 'expected an object with factors, responses and rows');
  const { factors, responses, rows } = dataset as Partial<Dataset>;
  const names = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || value.some((n) => typeof n !== 'string' || n === '')) invalid(`${path}.${field}`, 'expected an array of column names');
    return value as string[];
  };
  const columns = [...names(factors, 'factors'), ...names(responses, 'responses')];
  if ((factors as string[]).length === 0) invalid(`${path}.factors`, 'at least one factor is needed');
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) invalid(path, `column '${name}' is named twice`);
    seen.add(name);
  }
  if (!Array.isArray(rows)) invalid(`${path}.rows`, 'expected an array of rows');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) invalid(`${path}.rows[${i}]`, 'expected an object keyed by column name');
    for (const name of columns) {
      const value = row[name];
      if (value !== null && value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
        invalid(`${path}.rows[${i}].${name}`, `expected a number or null, got ${JSON.stringify(value)}`);
      }
    }
  }
  return dataset as Dataset;
}

/** A cell's value, or null when it is missing (null, absent or not finite). */
export function cell(row: Record<string, number | null>, column: string): number | null {
  const value = row[column];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
