import { MODEL_PREDICTION_BUCKETS, MODEL_PREDICTION_DURATION_METRIC, MODEL_PREDICTION_LABELS } from '@vista/contracts';
import type { MetricFactory } from '@vista/telemetry';

/** Records how long each prediction took, per model, in the histogram Prometheus scrapes from `/metrics`. */
export interface PredictionLatency {
  observe(model: { modelId: string; modelName: string }, seconds: number): void;
}

/** The prediction-latency histogram on a metric factory (the process registry in the service). */
export function predictionLatency(metrics: MetricFactory): PredictionLatency {
  const histogram = metrics.histogram({
    name: MODEL_PREDICTION_DURATION_METRIC,
    help: 'Time to answer one prediction request of a model (loading it if needed and predicting every row), in seconds',
    labelNames: MODEL_PREDICTION_LABELS,
    buckets: [...MODEL_PREDICTION_BUCKETS],
  });
  return {
    observe: (model, seconds) => histogram.observe({ model: model.modelId, model_name: model.modelName }, seconds),
  };
}
