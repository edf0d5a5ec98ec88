import { describe, expect, it } from '@jest/globals';
import { ValidationError, VistaError } from '@vista/contracts';
import type { Dataset } from './dataset.js';
import { preprocess } from './preprocess.js';

// Ten rows: one response missing (row 2), factor a missing on rows 4 and 7, b missing on row 7,
// an outlying response on row 9 (100) and an outlying factor b on row 8 (−40).
const table = (): Dataset => ({
  factors: ['a', 'b'],
  responses: ['y', 'other'],
  rows: [
    { a: 1, b: 10, y: 5, other: 1 },
    { a: 2, b: 11, y: 6, other: null },
    { a: 3, b: 12, y: null, other: 1 },
    { a: 4, b: 13, y: 7, other: 1 },
    { a: null, b: 14, y: 6, other: 1 },
    { a: 6, b: 15, y: 8, other: 1 },
    { a: 7, b: 16, y: 7, other: 1 },
    { a: null, b: null, y: 6, other: 1 },
    { a: 9, b: -40, y: 8, other: 1 },
    { a: 10, b: 17, y: 100, other: 1 },
  ],
});

describe('preprocess', () => {
  it('drops rows with a missing cell and counts what was missing per column', () => {
    const { X, y, report } = preprocess(table(), 'y', { missing: 'drop', outliers: 'none' });
    expect(report).toEqual({
      rowsIn: 10,
      rowsOut: 7,
      missing: { a: 2, b: 1, y: 1 },
      imputed: { a: 0, b: 0 },
      droppedForMissing: 3,
      outliers: { a: 0, b: 0, y: 0 },
      droppedAsOutliers: 0,
      method: { missing: 'drop', outliers: 'none', outlierThreshold: 0 },
    });
    expect(X[0]).toEqual([1, 10]);
    expect(y).toEqual([5, 6, 7, 8, 7, 8, 100]);
  });

  it('imputes factor cells with the column mean but never the response', () => {
    const { X, report } = preprocess(table(), 'y', { missing: 'mean', outliers: 'none' });
    expect(report.droppedForMissing).toBe(1);
    expect(report.imputed).toEqual({ a: 2, b: 1 });
    // Present a values on rows with a response: 1, 2, 4, 6, 7, 9, 10 → mean 39 / 7.
    expect(X[3]![0]).toBeCloseTo(39 / 7, 12);
    expect(report.rowsOut).toBe(9);
  });

  it('imputes with the median when asked', () => {
    const { X } = preprocess(table(), 'y', { missing: 'median', outliers: 'none' });
    expect(X[3]![0]).toBe(6);
  });

  it('removes rows holding an IQR outlier in a factor or the response, and says so', () => {
    const { y, report } = preprocess(table(), 'y', { missing: 'drop', outliers: 'iqr' });
    expect(report.outliers).toEqual({ a: 0, b: 1, y: 1 });
    expect(report.droppedAsOutliers).toBe(2);
    expect(report.rowsOut).toBe(5);
    expect(report.method.outlierThreshold).toBe(1.5);
    expect(y).not.toContain(100);
  });

  it('uses a z-score limit when asked', () => {
    const { report } = preprocess(table(), 'y', { missing: 'drop', outliers: 'zscore', outlierThreshold: 2 });
    expect(report.outliers.y).toBe(1);
    expect(report.method).toEqual({ missing: 'drop', outliers: 'zscore', outlierThreshold: 2 });
  });

  it('refuses an unknown response and an unknown option, naming the field', () => {
    expect(() => preprocess(table(), 'z', { missing: 'drop', outliers: 'none' })).toThrow(ValidationError);
    try {
      preprocess(table(), 'y', { missing: 'guess' as 'drop', outliers: 'none' });
    } catch (error) {
      expect((error as ValidationError).issues?.[0]?.path).toBe('options.missing');
    }
  });

  it('ends the job with a reason when no row is left', () => {
    const empty: Dataset = { factors: ['a'], responses: ['y'], rows: [{ a: 1, y: null }] };
    expect(() => preprocess(empty, 'y', { missing: 'drop', outliers: 'none' })).toThrow(
      new VistaError('invalid', 'no rows are left after preprocessing: 1 of 1 dropped for missing values, 0 as outliers'),
    );
  });
});
