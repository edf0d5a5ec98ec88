import type { JobType } from '@vista/contracts';

/** The event types of one stage's job lifecycle, as its service records them. */
export interface StageSpec {
  readonly jobType: JobType;
  /** A run's stream in the stage's own schema is `<streamPrefix><runId>`. */
  readonly streamPrefix: string;
  /** The steps of a job, in order (one for deck collection, DOE and optimize; preprocess → scaling → training → test for ML). */
  readonly steps: readonly string[];
  readonly events: {
    readonly requested: string;
    /** The job waits in the stage's queue for a worker. */
    readonly queued: string;
    readonly started: string;
    readonly failed: string;
    readonly timedOut: string;
    readonly cancelled: string;
    /** The completion event of each step. */
    readonly completed: Readonly<Record<string, string>>;
  };
  /** Whether lifecycle events name their step (`step`, `stepOrder` on requests): the ML steps do. */
  readonly stepInEvents: boolean;
}
