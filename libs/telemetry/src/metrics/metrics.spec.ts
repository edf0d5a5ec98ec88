import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { createMetricFactory, MetricConflictError } from './metrics.js';

describe('metric factory', () => {
  const setup = () => {
    const registry = new Registry();
    return { registry, metrics: createMetricFactory(registry) };
  };

  it('returns the existing counter when asked twice for the same one', async () => {
    const { registry, metrics } = setup();
    const definition = { name: 'vista_events_applied_total', help: 'Events applied', labelNames: ['event_type'] as const };

    const first = metrics.counter(definition);
    const second = metrics.counter({ ...definition, labelNames: ['event_type'] });
    first.inc({ event_type: 'DoeCompleted' });
    second.inc({ event_type: 'DoeCompleted' });

    expect(second).toBe(first);
    expect(await registry.metrics()).toContain('vista_events_applied_total{event_type="DoeCompleted"} 2');
  });

  it('returns the existing histogram with its buckets', () => {
    const { metrics } = setup();
    const definition = { name: 'vista_handler_seconds', help: 'Handler time', buckets: [0.1, 1] };

    expect(metrics.histogram(definition)).toBe(metrics.histogram({ ...definition }));
  });

  it('refuses a name reused with another type or label set', () => {
    const { metrics } = setup();
    metrics.counter({ name: 'vista_jobs_total', help: 'Jobs', labelNames: ['status'] });

    expect(() => metrics.gauge({ name: 'vista_jobs_total', help: 'Jobs', labelNames: ['status'] })).toThrow(MetricConflictError);
    expect(() => metrics.counter({ name: 'vista_jobs_total', help: 'Jobs', labelNames: ['kind'] })).toThrow(MetricConflictError);
  });

  it('refuses a name already registered on the registry by other code', () => {
    const { registry, metrics } = setup();
    registry.registerMetric(createMetricFactory(new Registry()).gauge({ name: 'vista_lag', help: 'Lag' }));

    expect(() => metrics.gauge({ name: 'vista_lag', help: 'Lag' })).toThrow(MetricConflictError);
  });
});
