import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's Prometheus registry; `GET /metrics` exposes it. */
export const metricsRegistry = new Registry();

export interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface HistogramDefinition<L extends string> extends MetricDefinition<L> {
  /** Upper bounds in the metric's unit (seconds for durations). */
  buckets?: number[];
}

/** A metric name reused with another type, help text, label set or bucket list. */
export class MetricConflictError extends Error {
  override readonly name = 'MetricConflictError';
}

type Kind = 'counter' | 'gauge' | 'histogram';

/** Metric factories on one registry; asking twice for the same definition returns the same metric. */
export interface MetricFactory {
  counter<L extends string = never>(definition: MetricDefinition<L>): Counter<L>;
  gauge<L extends string = never>(definition: MetricDefinition<L>): Gauge<L>;
  histogram<L extends string = never>(definition: HistogramDefinition<L>): Histogram<L>;
}

/** Builds metric factories registering on `registry`. */
export function createMetricFactory(registry: Registry): MetricFactory {
  const known = new Map<string, { kind: Kind; signature: string; metric: unknown }>();

  const getOrCreate = <M>(kind: Kind, definition: HistogramDefinition<string>, create: () => M): M => {
    const signature = JSON.stringify([definition.help, [...(definition.labelNames ?? [])].sort(), definition.buckets ?? null]);
    const existing = known.get(definition.name);
    if (existing) {
      if (existing.kind !== kind || existing.signature !== signature) {
        throw new MetricConflictError(`metric ${definition.name} is already defined differently (as a ${existing.kind})`);
      }
      return existing.metric as M;
    }
    if (registry.getSingleMetric(definition.name)) {
      throw new MetricConflictError(`metric ${definition.name} is already registered outside this factory`);
    }
    const metric = create();
    known.set(definition.name, { kind, signature, metric });
    return metric;
  };

  const config = <L extends string>(d: MetricDefinition<L>) => ({
    name: d.name,
    help: d.help,
    labelNames: [...(d.labelNames ?? [])],
    registers: [registry],
  });

  return {
    counter: (d) => getOrCreate('counter', d, () => new Counter(config(d))),
    gauge: (d) => getOrCreate('gauge', d, () => new Gauge(config(d))),
    histogram: (d) => getOrCreate('histogram', d, () => new Histogram(d.buckets ? { ...config(d), buckets: d.buckets } : config(d))),
  };
}

/** Counters, gauges and histograms on the process registry. */
export const metrics: MetricFactory = createMetricFactory(metricsRegistry);

let defaultMetricsStarted = false;

/** Labels every sample of the process registry with `service` and starts the default Node.js metrics. */
export function configureMetrics(serviceName: string): void {
  metricsRegistry.setDefaultLabels({ service: serviceName });
  if (defaultMetricsStarted) return;
  defaultMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
