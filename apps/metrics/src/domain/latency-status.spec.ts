import { describe, expect, it } from '@jest/globals';
import { latencyStatus } from './latency-status.js';

describe('latency status', () => {
  const thresholds = { warningMs: 100, dangerMs: 200 };

  it.each([
    [0, 'good'],
    [99.99, 'good'],
    [100, 'warning'],
    [199.9, 'warning'],
    [200, 'danger'],
    [5000, 'danger'],
  ])('calls a p95 of %p ms %s', (p95, status) => {
    expect(latencyStatus(p95, thresholds)).toBe(status);
  });

  it('has no status without a p95 (no predictions in the window)', () => {
    expect(latencyStatus(null, thresholds)).toBeNull();
  });

  it('follows configured thresholds', () => {
    expect(latencyStatus(60, { warningMs: 50, dangerMs: 80 })).toBe('warning');
  });
});
