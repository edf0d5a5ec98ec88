import { describe, it, expect } from '@jest/globals';
import { computeStatistics } from './deck-statistics.js';
import { DeckTableFactory } from './testing/deck-csv.factory.js';

describe('computeStatistics', () => {
  it('describes every column with count, range, mean, sample std and median', () => {
    const stats = computeStatistics(DeckTableFactory.create());

    expect(stats).toMatchObject({ rowCount: 3, columnCount: 3, completeRowCount: 3 });
    expect(stats.columns[0]).toEqual({
      name: 'x1',
      role: 'factor',
      count: 3,
      missing: 0,
      min: 1,
      max: 3,
      mean: 2,
      std: 1,
      median: 2,
      distinct: 3,
      constant: false,
    });
    expect(stats.columns[2]).toMatchObject({ name: 'y', role: 'response', mean: 1.5, median: 1.5 });
  });

  it('counts missing cells per column and leaves them out of the statistics', () => {
    const table = DeckTableFactory.create({
      rows: [
        [1, null, 2],
        [null, 4, 4],
        [3, 8, null],
        [5, 6, 6],
      ],
    });

    const stats = computeStatistics(table);

    expect(stats.completeRowCount).toBe(1);
    expect(stats.columns.map(({ count, missing }) => ({ count, missing }))).toEqual([
      { count: 3, missing: 1 },
      { count: 3, missing: 1 },
      { count: 3, missing: 1 },
    ]);
    expect(stats.columns[0]).toMatchObject({ min: 1, max: 5, mean: 3, median: 3, std: 2 });
  });

  it('takes the median of an even count as the mean of the middle two values', () => {
    const table = DeckTableFactory.create({
      rows: [
        [4, 1, 0],
        [1, 1, 0],
        [3, 1, 0],
        [2, 1, 0],
      ],
    });

    expect(computeStatistics(table).columns[0]?.median).toBe(2.5);
  });

  it('reports a constant factor with zero spread and one distinct value', () => {
    const table = DeckTableFactory.create({
      rows: [
        [1, 7, 0.1],
        [2, 7, 0.2],
        [3, 7, 0.3],
      ],
    });

    expect(computeStatistics(table).columns[1]).toMatchObject({ name: 'x2', constant: true, std: 0, distinct: 1, min: 7, max: 7 });
  });

  it('counts distinct values, repeats counted once', () => {
    const table = DeckTableFactory.create({
      rows: [
        [1, 0, 0],
        [2, 0, 0],
        [1, 0, 0],
        [2, 0, 0],
        [3, 0, 0],
      ],
    });

    expect(computeStatistics(table).columns[0]?.distinct).toBe(3);
  });

  it('leaves the standard deviation out below two values and everything out of an empty column', () => {
    const table = DeckTableFactory.create({
      rows: [
        [1, null, 5],
        [null, null, 6],
      ],
    });

    const [x1, x2] = computeStatistics(table).columns;

    expect(x1).toMatchObject({ count: 1, mean: 1, median: 1, std: null, constant: true });
    expect(x2).toEqual({
      name: 'x2',
      role: 'factor',
      count: 0,
      missing: 2,
      min: null,
      max: null,
      mean: null,
      std: null,
      median: null,
      distinct: 0,
      constant: false,
    });
  });

  it('keeps the mean and spread accurate for values far from zero', () => {
    const offset = 1e9;
    const rows = Array.from({ length: 1000 }, (_, i) => [offset + (i % 2), 0, 0]);

    const [x1] = computeStatistics(DeckTableFactory.create({ rows })).columns;

    expect(x1?.mean).toBeCloseTo(offset + 0.5, 6);
    expect(x1?.std).toBeCloseTo(Math.sqrt(250 / 999), 9);
  });

  it('describes an empty table', () => {
    expect(computeStatistics(DeckTableFactory.create({ rows: [] }))).toMatchObject({ rowCount: 0, columnCount: 3, completeRowCount: 0 });
  });
});
