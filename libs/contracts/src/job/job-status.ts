/**
 * Lifecycle of every job: PENDING → QUEUED (waiting for a worker of its stage) → RUNNING → SUCCESS |
 * FAILED | TIMEOUT | CANCELLED.
 */
export const JOB_STATUSES = ['PENDING', 'QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'];
export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

/** The stages of a kit run, in chain order. */
export const JOB_TYPES = ['deck', 'doe', 'ml', 'optimize'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const ML_STEPS = ['preprocess', 'scaling', 'training', 'test'] as const;
export type MlStep = (typeof ML_STEPS)[number];

/** Task names as the state table records them, with their place in the chain (`current_order`). */
export const TASK_ORDER = {
  deck_collection: 1,
  doe: 2,
  preprocess: 3,
  scaling: 4,
  training: 5,
  test: 6,
  optimize: 7,
} as const;
export type TaskName = keyof typeof TASK_ORDER;
