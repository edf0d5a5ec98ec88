import type { ModelLatencyV1 } from '@vista/contracts';

export const QUANTILES = { p50Ms: 0.5, p95Ms: 0.95, p99Ms: 0.99 } as const;
export type QuantileKey = keyof typeof QUANTILES;

/** The PromQL of one quantile per model over a window, from a histogram's buckets. */
export const quantileQuery = (metricName: string, quantile: number, window: string): string =>
  `histogram_quantile(${quantile}, sum by (le, model, model_name) (rate(${metricName}_bucket[${window}])))`;

/** One sample of an instant-vector answer. */
export interface VectorSample {
  readonly metric: Record<string, string>;
  /** Prometheus's value as it sends it: a string (`"0.0375"`, `"NaN"`, `"+Inf"`). */
  readonly value: string;
}

/** Seconds as Prometheus gives them → milliseconds, or null when there is no finite quantile (no predictions in the window). */
export function secondsToMs(value: string): number | null {
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

/** Joins the three quantile answers into one row per model, ordered by name. Samples without a `model` label are not a model's. */
export function joinQuantiles(answers: Record<QuantileKey, readonly VectorSample[]>): ModelLatencyV1[] {
  const byModel = new Map<string, ModelLatencyV1>();
  for (const key of Object.keys(QUANTILES) as QuantileKey[]) {
    for (const sample of answers[key]) {
      const modelId = sample.metric.model;
      if (!modelId) continue;
      const row = byModel.get(modelId) ?? { modelId, modelName: sample.metric.model_name || modelId, p50Ms: null, p95Ms: null, p99Ms: null };
      row[key] = secondsToMs(sample.value);
      byModel.set(modelId, row);
    }
  }
  return [...byModel.values()].sort((a, b) => a.modelName.localeCompare(b.modelName) || a.modelId.localeCompare(b.modelId));
}
