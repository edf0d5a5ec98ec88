import { metrics } from '@vista/telemetry';

/** The job runner's Prometheus metrics (labelled with the service by the registry). */
export const jobsMetrics = {
  workBegun: metrics.counter({
    name: 'vista_job_work_begun_total',
    help: "Times this replica began a job's work: started fresh, resumed after a restart, or taken over from a replica whose lease ran out",
    labelNames: ['stage', 'how'] as const,
  }),
  outcomes: metrics.counter({ name: 'vista_job_outcomes_total', help: 'Jobs this replica ended, by status', labelNames: ['stage', 'status'] as const }),
  queueWait: metrics.histogram({
    name: 'vista_job_queue_wait_seconds',
    help: 'Time from QUEUED to RUNNING of the jobs this replica started',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  }),
  running: metrics.gauge({ name: 'vista_jobs_running', help: 'Jobs this replica is working on now', labelNames: ['stage'] as const }),
  queue: metrics.gauge({
    name: 'vista_job_queue_jobs',
    help: "Jobs in the stage's queue, waiting or leased (all replicas)",
    labelNames: ['stage', 'state'] as const,
  }),
};
