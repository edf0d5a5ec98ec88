import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MODEL_PREDICTION_BUCKETS, MODEL_PREDICTION_DURATION_METRIC } from '@vista/contracts';

/** A model whose predictions arrive at a steady rate, each share of them falling in (lower, upper] of a bucket. */
export interface KnownModel {
  readonly modelId: string;
  readonly modelName: string;
  /** Observations per second falling at or below each bucket bound (cumulative, as Prometheus buckets are). */
  readonly cumulativePerSecond: Record<number, number>;
}

/**
 * Serves the prediction-latency histogram of known models as Prometheus text, every count growing
 * linearly with time: any rate() window sees exactly the per-second shares, so the quantiles
 * Prometheus computes are known in advance and the same at every instant.
 */
export async function startKnownHistogramsTarget(models: readonly KnownModel[]): Promise<{ address: string; close(): Promise<void> }> {
  const started = Date.now();
  const server = http.createServer((_req, res) => {
    const elapsed = (Date.now() - started) / 1000 + 1;
    const lines = [`# HELP ${MODEL_PREDICTION_DURATION_METRIC} Known latencies`, `# TYPE ${MODEL_PREDICTION_DURATION_METRIC} histogram`];
    for (const model of models) {
      const labels = `model="${model.modelId}",model_name="${model.modelName}"`;
      let cumulative = 0;
      for (const le of MODEL_PREDICTION_BUCKETS) {
        cumulative = model.cumulativePerSecond[le] ?? cumulative;
        lines.push(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{${labels},le="${le}"} ${cumulative * elapsed}`);
      }
      lines.push(`${MODEL_PREDICTION_DURATION_METRIC}_bucket{${labels},le="+Inf"} ${cumulative * elapsed}`);
      lines.push(`${MODEL_PREDICTION_DURATION_METRIC}_sum{${labels}} 0`);
      lines.push(`${MODEL_PREDICTION_DURATION_METRIC}_count{${labels}} ${cumulative * elapsed}`);
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** 90 % of predictions in (10, 25] ms, 10 % in (25, 50] ms: p50 18.33 ms, p95 37.5 ms, p99 47.5 ms (good). */
export const FAST_MODEL: KnownModel = { modelId: 'model-fast', modelName: 'fast-model', cumulativePerSecond: { 0.01: 0, 0.025: 90, 0.05: 100 } };
/** All in (125, 150] ms: p95 148.75 ms (warning). */
export const MEDIUM_MODEL: KnownModel = { modelId: 'model-medium', modelName: 'medium-model', cumulativePerSecond: { 0.125: 0, 0.15: 100 } };
/** Half in (175, 200] ms, half in (200, 250] ms: p50 200 ms, p95 245 ms, p99 249 ms (danger). */
export const SLOW_MODEL: KnownModel = { modelId: 'model-slow', modelName: 'slow-model', cumulativePerSecond: { 0.175: 0, 0.2: 50, 0.25: 100 } };
