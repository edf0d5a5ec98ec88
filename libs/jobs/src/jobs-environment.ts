import { availableParallelism } from 'node:os';
import { IsInt, Max, Min } from 'class-validator';

/** How a stage service runs its jobs (environment variable names); every stage service reads these. */
export class JobsEnvironment {
  /** Warm worker threads, and so jobs running at once on this replica; more wait QUEUED (default: the machine's cores). */
  @IsInt() @Min(1) @Max(256) JOB_WORKERS = availableParallelism();
  /** A running job's lease: another replica takes the job over this long after its replica stopped renewing it. */
  @IsInt() @Min(500) @Max(600_000) JOB_LEASE_MS = 10_000;
  /** How often leases are renewed; a stop reaches the replica running the job within this. */
  @IsInt() @Min(50) @Max(60_000) JOB_HEARTBEAT_MS = 500;
  /** How often an idle replica looks for jobs queued by other replicas. */
  @IsInt() @Min(50) @Max(60_000) JOB_POLL_MS = 1_000;
  /** On SIGTERM, how long running jobs may go on to finish before they are stopped and returned to the queue (ms; keep it under SHUTDOWN_GRACE_MS). */
  @IsInt() @Min(0) @Max(600_000) JOB_DRAIN_MS = 8_000;
  /** Heap limit of each worker thread (MB): a job that needs more fails instead of swelling the service. */
  @IsInt() @Min(64) @Max(65_536) JOB_WORKER_HEAP_MB = 1_024;
}

/** The job settings a stage host reads from its service's validated config (and the worker module to preload). */
export type JobsSettings = Readonly<Pick<JobsEnvironment, 'JOB_WORKERS' | 'JOB_LEASE_MS' | 'JOB_HEARTBEAT_MS' | 'JOB_POLL_MS' | 'JOB_WORKER_HEAP_MB'>> &
  Partial<Pick<JobsEnvironment, 'JOB_DRAIN_MS'>> & {
    readonly preload?: URL;
  };

/** Injection token of the JobsSettings a stage service provides from its config. */
export const JOBS_SETTINGS = Symbol('JOBS_SETTINGS');
