import { metrics } from '@vista/telemetry';

/** The projector's Prometheus metrics. */
export const projectorMetrics = {
  eventsApplied: metrics.counter({ name: 'vista_projector_events_applied_total', help: 'Events folded into the read model for the first time' }),
  eventsRejected: metrics.counter({
    name: 'vista_projector_events_rejected_total',
    help: 'Valid events the read model could not take (a value Postgres refuses)',
  }),
  batchDuration: metrics.histogram({
    name: 'vista_projector_batch_duration_seconds',
    help: 'Time to fold and commit one batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  batchSize: metrics.histogram({ name: 'vista_projector_batch_size', help: 'Events per batch', buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000] }),
  position: metrics.gauge({ name: 'vista_projector_position', help: 'Highest events-stream sequence applied' }),
  lagEvents: metrics.gauge({ name: 'vista_projector_lag_events', help: 'Events in the stream not applied yet' }),
  lagSeconds: metrics.gauge({ name: 'vista_projector_lag_seconds', help: 'Age of the oldest event not applied yet' }),
};
