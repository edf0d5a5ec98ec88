/**
 * The histogram every prediction is observed in, by the service that serves predictions (ml), and
 * that the metrics service asks Prometheus about: one source for its name, labels and buckets.
 */
export const MODEL_PREDICTION_DURATION_METRIC = 'vista_model_prediction_duration_seconds';

/** Labels of the histogram: the model's id and its human name (what the API calls `model`). */
export const MODEL_PREDICTION_LABELS = ['model', 'model_name'] as const;

/** Bucket upper bounds in seconds, 1 ms to 10 s: dense enough around 100–200 ms (the status thresholds) for useful quantiles. */
export const MODEL_PREDICTION_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10,
];

/** Latency status of a model as users see it: under the warning threshold good, under danger warning, else danger. */
export type LatencyStatus = 'good' | 'warning' | 'danger';
export const LATENCY_STATUSES: readonly LatencyStatus[] = ['good', 'warning', 'danger'];
