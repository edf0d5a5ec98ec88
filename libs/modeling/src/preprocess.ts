import { VistaError } from '@vista/contracts';
import { checkNumber, checkOneOf, fmtCount, invalid } from './checks.js';
import { cell, checkDataset, type Dataset } from './dataset.js';
import { mean, quantileOfSorted, sorted, std } from './statistics.js';

export type MissingStrategy = 'drop' | 'mean' | 'median';
export type OutlierRule = 'none' | 'iqr' | 'zscore';

export interface PreprocessOptions {
  /** What to do with a row whose factor cell is missing. A missing response always drops the row. */
  missing: MissingStrategy;
  /** How outliers are found, on each factor and on the response; a row with one is removed. */
  outliers: OutlierRule;
  /** IQR fence multiplier k (default 1.5) or |z| limit (default 3). */
  outlierThreshold?: number;
}

export interface PreprocessReport {
  rowsIn: number;
  rowsOut: number;
  /** Missing cells per column (factors and the response), before anything was done. */
  missing: Record<string, number>;
  /** Cells filled in per factor column (mean / median of the present values). */
  imputed: Record<string, number>;
  /** Rows removed because of a missing cell (the response, or a factor under `missing: 'drop'`). */
  droppedForMissing: number;
  /** Outlying cells per column, among the rows left after missing-value handling. */
  outliers: Record<string, number>;
  /** Rows removed because at least one of their cells is an outlier. */
  droppedAsOutliers: number;
  /** The options applied, with the threshold's default filled in. */
  method: Required<PreprocessOptions>;
}

export interface PreprocessResult {
  /** Factor values, one row per kept row, in `dataset.factors` order. */
  X: number[][];
  y: number[];
  report: PreprocessReport;
}

const DEFAULT_THRESHOLD: Record<OutlierRule, number> = { none: 0, iqr: 1.5, zscore: 3 };

/**
 * Turns a dataset into a design matrix and a response vector: handles missing cells, then removes rows
 * holding an outlier (judged per column, on the factors and the response, in one pass).
 */
export function preprocess(dataset: Dataset, response: string, options: PreprocessOptions): PreprocessResult {
  checkDataset(dataset);
  if (!dataset.responses.includes(response)) invalid('response', `'${response}' is not a response of the dataset (${dataset.responses.join(', ') || 'none'})`);
  const missingStrategy = checkOneOf(options?.missing, 'options.missing', ['drop', 'mean', 'median'] as const);
  const outlierRule = checkOneOf(options?.outliers, 'options.outliers', ['none', 'iqr', 'zscore'] as const);
  const threshold =
    options.outlierThreshold === undefined ? DEFAULT_THRESHOLD[outlierRule] : checkNumber(options.outlierThreshold, 'options.outlierThreshold', 0);
  if (outlierRule !== 'none' && threshold <= 0) invalid('options.outlierThreshold', 'must be greater than 0');
  const method: Required<PreprocessOptions> = { missing: missingStrategy, outliers: outlierRule, outlierThreshold: threshold };

  const { factors, rows } = dataset;
  const columns = [...factors, response];
  const missing = Object.fromEntries(columns.map((c) => [c, 0])) as Record<string, number>;
  for (const row of rows) for (const c of columns) if (cell(row, c) === null) missing[c] = (missing[c] as number) + 1;

  // The target is never imputed; factor cells are dropped or filled in.
  let kept = rows.filter((row) => cell(row, response) !== null);
  if (missingStrategy === 'drop') kept = kept.filter((row) => factors.every((f) => cell(row, f) !== null));
  const droppedForMissing = rows.length - kept.length;

  const imputed = Object.fromEntries(factors.map((f) => [f, 0])) as Record<string, number>;
  const fill: (number | null)[] = factors.map((f) => {
    if (missingStrategy === 'drop') return null;
    const present = kept.map((row) => cell(row, f)).filter((v): v is number => v !== null);
    if (present.length === 0) return null;
    return missingStrategy === 'mean' ? mean(present) : quantileOfSorted(sorted(present), 0.5);
  });
  const table: number[][] = kept.map((row) =>
    columns.map((c, j) => {
      const value = cell(row, c);
      if (value !== null) return value;
      const filler = fill[j];
      if (filler === null || filler === undefined) {
        throw new VistaError('invalid', `factor '${c}' has no value on any row that has a response: it cannot be imputed`);
      }
      imputed[c] = (imputed[c] as number) + 1;
      return filler;
    }),
  );

  const outliers = Object.fromEntries(columns.map((c) => [c, 0])) as Record<string, number>;
  const outlying = new Uint8Array(table.length);
  if (outlierRule !== 'none' && table.length > 0) {
    columns.forEach((c, j) => {
      const values = table.map((r) => r[j] as number);
      const isOutlier = outlierTest(values, outlierRule, threshold);
      values.forEach((v, i) => {
        if (isOutlier(v)) {
          outliers[c] = (outliers[c] as number) + 1;
          outlying[i] = 1;
        }
      });
    });
  }
  const clean = table.filter((_, i) => outlying[i] === 0);
  const droppedAsOutliers = table.length - clean.length;
  if (clean.length === 0) {
    throw new VistaError(
      'invalid',
      `no rows are left after preprocessing: ${fmtCount(droppedForMissing)} of ${fmtCount(rows.length)} dropped for missing values, ${fmtCount(droppedAsOutliers)} as outliers`,
    );
  }
  return {
    X: clean.map((r) => r.slice(0, factors.length)),
    y: clean.map((r) => r[factors.length] as number),
    report: { rowsIn: rows.length, rowsOut: clean.length, missing, imputed, droppedForMissing, outliers, droppedAsOutliers, method },
  };
}

/**
 * A column's outlier test. A column without spread (IQR or standard deviation 0) has no outliers:
 * with a zero fence every value off the median would count, which would wipe out discrete DOE levels.
 */
function outlierTest(values: number[], rule: Exclude<OutlierRule, 'none'>, threshold: number): (v: number) => boolean {
  if (rule === 'iqr') {
    const ascending = sorted(values);
    const q1 = quantileOfSorted(ascending, 0.25);
    const q3 = quantileOfSorted(ascending, 0.75);
    const iqr = q3 - q1;
    if (!(iqr > 0)) return () => false;
    const low = q1 - threshold * iqr;
    const high = q3 + threshold * iqr;
    return (v) => v < low || v > high;
  }
  const center = mean(values);
  const spread = std(values, center);
  if (!(spread > 0)) return () => false;
  return (v) => Math.abs(v - center) / spread > threshold;
}
