import { describe, expect, it } from '@jest/globals';
import { loadMetricsConfig } from './metrics.config.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', NATS_URL: 'nats://127.0.0.1:4222', VISTA_BUS_NAMESPACE: 'vista' };

describe('the metrics configuration', () => {
  it('collects every 5 minutes over a 5 minute window with thresholds of 100 and 200 ms by default', () => {
    expect(loadMetricsConfig(base)).toMatchObject({
      METRICS_COLLECT_SCHEDULE: '*/5 * * * *',
      METRICS_WINDOW: '5m',
      METRICS_WARNING_MS: 100,
      METRICS_DANGER_MS: 200,
      METRICS_LATENCY_METRIC: 'vista_model_prediction_duration_seconds',
      PROMETHEUS_URL: 'http://127.0.0.1:9090',
    });
  });

  it('refuses a schedule that is not cron, naming the variable', () => {
    expect(() => loadMetricsConfig({ ...base, METRICS_COLLECT_SCHEDULE: 'every 5 minutes' })).toThrow(/METRICS_COLLECT_SCHEDULE="every 5 minutes"/);
  });

  it('refuses a danger threshold below the warning one, a bad window and a bad metric name', () => {
    expect(() => loadMetricsConfig({ ...base, METRICS_WARNING_MS: '300' })).toThrow(/METRICS_DANGER_MS=200/);
    expect(() => loadMetricsConfig({ ...base, METRICS_WINDOW: '5 minutes' })).toThrow(/METRICS_WINDOW/);
    expect(() => loadMetricsConfig({ ...base, METRICS_LATENCY_METRIC: 'a-b' })).toThrow(/METRICS_LATENCY_METRIC/);
  });
});
