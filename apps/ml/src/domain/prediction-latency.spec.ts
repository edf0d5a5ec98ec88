import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { MODEL_PREDICTION_DURATION_METRIC } from '@vista/contracts';
import { createMetricFactory } from '@vista/telemetry';
import { predictionLatency } from './prediction-latency.js';

describe('prediction latency histogram', () => {
  it('counts each prediction in the buckets of its model, labelled by id and name', async () => {
    const registry = new Registry();
    const sut = predictionLatency(createMetricFactory(registry));

    sut.observe({ modelId: 'm-1', modelName: 'kit-1-v1-ridge' }, 0.004);
    sut.observe({ modelId: 'm-1', modelName: 'kit-1-v1-ridge' }, 0.15);

    const text = await registry.metrics();
    expect(text).toContain(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{le="0.001",model="m-1",model_name="kit-1-v1-ridge"} 0`);
    expect(text).toContain(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{le="0.005",model="m-1",model_name="kit-1-v1-ridge"} 1`);
    expect(text).toContain(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{le="0.175",model="m-1",model_name="kit-1-v1-ridge"} 2`);
    expect(text).toContain(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{le="10",model="m-1",model_name="kit-1-v1-ridge"} 2`);
    expect(text).toContain(`${MODEL_PREDICTION_DURATION_METRIC}_count{model="m-1",model_name="kit-1-v1-ridge"} 2`);
  });

  it('is one histogram however many times it is asked for', () => {
    const metrics = createMetricFactory(new Registry());
    expect(() => [predictionLatency(metrics), predictionLatency(metrics)]).not.toThrow();
  });
});
