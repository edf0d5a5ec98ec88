import { describe, expect, it } from '@jest/globals';
import { joinQuantiles, quantileQuery, secondsToMs } from './latency-query.js';

describe('latency queries', () => {
  it('asks for a quantile per model from the rate of the buckets over the window', () => {
    expect(quantileQuery('vista_model_prediction_duration_seconds', 0.95, '5m')).toBe(
      'histogram_quantile(0.95, sum by (le, model, model_name) (rate(vista_model_prediction_duration_seconds_bucket[5m])))',
    );
  });

  it('reads seconds as milliseconds, and NaN or infinity as no value', () => {
    expect(secondsToMs('0.0375')).toBe(37.5);
    expect(secondsToMs('NaN')).toBeNull();
    expect(secondsToMs('+Inf')).toBeNull();
  });

  it('joins the three answers into one row per model, by name', () => {
    const sample = (model: string, value: string) => ({ metric: { model, model_name: `${model}-name` }, value });
    const rows = joinQuantiles({
      p50Ms: [sample('b', '0.1'), sample('a', '0.01')],
      p95Ms: [sample('a', '0.02'), sample('b', 'NaN')],
      p99Ms: [sample('a', '0.03'), { metric: {}, value: '1' }],
    });
    expect(rows).toEqual([
      { modelId: 'a', modelName: 'a-name', p50Ms: 10, p95Ms: 20, p99Ms: 30 },
      { modelId: 'b', modelName: 'b-name', p50Ms: 100, p95Ms: null, p99Ms: null },
    ]);
  });
});
