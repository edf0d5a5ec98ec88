import { describe, expect, it } from '@jest/globals';
import { percentiles } from './measure.js';
import { histogramMean } from './projector-process.js';
import { renderReport, verdict } from './report.js';

describe('verdict', () => {
  it('passes a ratio at or above its minimum and misses one below', () => {
    expect(verdict(0.8, { min: 0.8 })).toBe('PASS');
    expect(verdict(0.79, { min: 0.8 })).toBe('MISS');
  });

  it('passes a latency at or under its maximum and misses one over', () => {
    expect(verdict(250, { max: 250 })).toBe('PASS');
    expect(verdict(251, { max: 250 })).toBe('MISS');
  });

  it('never passes a figure that could not be measured', () => {
    expect(verdict(Number.NaN, { min: 0.25 })).toBe('n/a');
    expect(verdict(undefined, { max: 250 })).toBe('n/a');
  });
});

describe('percentiles', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('reports nothing rather than zero for no samples', () => {
    expect(Number.isNaN(percentiles([]).p99)).toBe(true);
  });
});

describe('histogramMean', () => {
  it('reads sum and count of a labelled Prometheus histogram', () => {
    const text = [
      'vista_projector_batch_size_bucket{le="500",service="projector"} 3',
      'vista_projector_batch_size_sum{service="projector"} 900',
      'vista_projector_batch_size_count{service="projector"} 3',
    ].join('\n');
    expect(histogramMean(text, 'vista_projector_batch_size')).toEqual({ sum: 900, count: 3, mean: 300 });
  });
});

describe('renderReport', () => {
  it('prints the target and the verdict next to a figure that has one', () => {
    const text = renderReport(['header'], [{ title: '(b) appends', rows: [{ label: 'Vista / raw', figure: '0.50', value: 0.5, target: { min: 0.8 } }] }]);
    expect(text).toMatch(/Vista \/ raw\s+0\.50\s+≥ 0\.8\s+MISS/);
  });
});
