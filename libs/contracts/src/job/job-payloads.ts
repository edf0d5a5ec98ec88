import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** Bounds of a run's priority (`params.priority`): higher runs first, 0 by default. */
export const MIN_RUN_PRIORITY = -100;
export const MAX_RUN_PRIORITY = 100;

/** Identifies one attempt of one job of one kit run; every lifecycle payload carries it. */
export class JobRefV1 {
  /** Kit the run belongs to; also the subject token. */
  @IsInt() @Min(1) @Max(2_147_483_647) kitId!: number;
  @IsUUID() runId!: string;
  @IsUUID() jobId!: string;
  /** 1 for the first attempt; a retry is a new attempt (attempt + 1) of the same job, its history kept. */
  @IsInt() @Min(1) attempt!: number;
}

export class JobRequestedV1 extends JobRefV1 {
  @IsISO8601() requestedAt!: string;
  /** The job ends TIMEOUT when it runs longer than this. */
  @IsInt() @Min(1) timeoutMs!: number;
}

/** The job waits in its stage's queue for a worker (QUEUED); `priority` orders it among the waiting jobs. */
export class JobQueuedV1 extends JobRefV1 {
  @IsISO8601() queuedAt!: string;
  @IsInt() @Min(MIN_RUN_PRIORITY) @Max(MAX_RUN_PRIORITY) priority!: number;
}

export class JobStartedV1 extends JobRefV1 {
  @IsISO8601() startedAt!: string;
}

export class JobFailedV1 extends JobRefV1 {
  @IsISO8601() failedAt!: string;
  /** What went wrong, in words a user can act on. */
  @IsString() @MaxLength(4000) reason!: string;
}

export class JobTimedOutV1 extends JobRefV1 {
  @IsISO8601() timedOutAt!: string;
  @IsInt() @Min(1) timeoutMs!: number;
}

export class JobCancelledV1 extends JobRefV1 {
  @IsISO8601() cancelledAt!: string;
  @IsString() @MaxLength(4000) reason!: string;
}

/** ML step events also say which step they are about. */
export const ML_STEP_VALUES = ['preprocess', 'scaling', 'training', 'test'];
export class MlStepRefV1 extends JobRefV1 {
  @IsIn(ML_STEP_VALUES) step!: 'preprocess' | 'scaling' | 'training' | 'test';
}

export class OptionalReasonV1 {
  @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}
