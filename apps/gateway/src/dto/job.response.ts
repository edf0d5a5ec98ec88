import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES, JOB_TYPES, ML_STEPS } from '@vista/contracts';
import { Freshness } from './freshness.response.js';

const DETAIL = { type: 'object', additionalProperties: true, nullable: true } as const;

/** Where one step of an ML job attempt stands (`read.ml_step`). */
export class MlStepBase {
  @ApiProperty({ enum: ML_STEPS }) step!: string;
  @ApiProperty({ description: 'Place of the step in the ML job (1–4).' }) stepOrder!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) requestedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty() position!: number;
}

/** One step of an ML job attempt, with what the step produced. */
export class MlStepView extends MlStepBase {
  @ApiProperty({
    ...DETAIL,
    description:
      'What the step produced, null until it succeeded: preprocess `{rowsIn, rowsOut, report}`, scaling `{method, scaler}`, ' +
      'training `{modelId, algorithm, hyperparameters}`, test `{modelId, rmse, mae, r2, algorithm, testRows, validation}`.',
  })
  detail!: Record<string, unknown> | null;
}

/** Where one attempt of a job stands: what both a job's view and a kit's state show of it. */
export class JobAttemptBase {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType!: string;
  @ApiProperty({ description: '1 for the first attempt; each retry is the next.' }) attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed, timed out or was cancelled.' }) reason!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) requestedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it ended (completed, failed, timed out or cancelled).' })
  finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) timeoutMs!: number | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** One attempt of a job: its stage row (for ML, its steps' rows rolled up). */
export class JobAttemptView extends JobAttemptBase {
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({
    ...DETAIL,
    description:
      'What the job produced, null until it succeeded: deck `{deckId, sourcePath, rowCount, factors, responses}`, doe ' +
      '`{designType, pointCount, datasetId, dataInfo}`, ml the training and test results, optimize the best result ' +
      '`{modelId, bestFactors, predicted, objective, goal, evaluations, starts, trace, tuning}`.',
  })
  detail!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: [MlStepView], description: 'ML jobs: the steps of this attempt, in order.' }) steps?: MlStepView[];
  @ApiProperty({ description: 'Stream position of the last event applied to the attempt.' }) position!: number;
}

/** `GET /jobs/{jobId}`: every attempt of a job, the newest first. */
export class JobView {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType!: string;
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ type: [JobAttemptView], description: 'The newest attempt first.' }) attempts!: JobAttemptView[];
}

/** One line a job wrote (`read.job_logs`). */
export class JobLogLine {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: "The line's index in the batch it was recorded with." }) seq!: number;
  @ApiProperty({ enum: ['info', 'warn', 'error'] }) level!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The step or task the line is about.' }) task!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty() position!: number;
}

export class JobLogPage {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The attempt asked for; null for all.' }) attempt!: number | null;
  @ApiProperty({ type: [JobLogLine], description: 'In order of attempt, time, then line.' }) items!: JobLogLine[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null when this page is the last.' })
  nextCursor!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `offset` for the next page; null when this page is the last, or when it was asked by cursor.' })
  nextOffset!: number | null;
}

/** One step of an ML attempt in a kit's state: where it stands and its headline figures. */
export class MlStepState extends MlStepBase {
  @ApiProperty({
    ...DETAIL,
    description:
      'Headline figures once the step succeeded: preprocess `{rowsIn, rowsOut}`, scaling `{method}`, training `{modelId, algorithm, hyperparameters}`, ' +
      "test `{rmse, mae, r2, testRows}`. The step's full output (report, scaler, validation) is at the stage's `links.job`.",
  })
  summary!: Record<string, unknown> | null;
}

/** Where a stage's large details are. */
export class StageLinks {
  @ApiProperty({ example: '/api/v1/jobs/4f0c…', description: 'Every attempt of the job with everything it produced (`GET /api/v1/jobs/{jobId}`).' })
  job!: string;
  @ApiProperty({ example: '/api/v1/jobs/4f0c…/logs', description: 'The lines the job logged.' }) logs!: string;
}

/** A stage of a kit's latest run at its newest attempt, each fact once: large outputs are behind `links`. */
/** Where a QUEUED job stands among the jobs waiting for its stage's workers. */
export class QueuePlace {
  @ApiProperty({ description: '1 for the job a free worker of the stage takes next.' }) position!: number;
  @ApiProperty({ description: "Jobs waiting in the stage's queue." }) waiting!: number;
}

export class StageState extends JobAttemptBase {
  @ApiProperty({
    ...DETAIL,
    description:
      'Headline figures once the job succeeded: deck `{deckId, sourcePath, rowCount, factors, responses}`, doe `{designType, ' +
      'pointCount, datasetId}`, optimize `{modelId, bestFactors, predicted, objective, goal, evaluations, starts}`; ML has its figures on its ' +
      "steps. The full output (the design's dataInfo, the optimisation trace and tuning, …) is at `links.job`.",
  })
  summary!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: [MlStepState], description: 'ML jobs: the steps of this attempt, in order.' }) steps?: MlStepState[];
  @ApiPropertyOptional({
    type: QueuePlace,
    description: 'A QUEUED job: its place in the fair order of its stage (priority, then each kit in turn), as the stage sees it now.',
  })
  queue?: QueuePlace;
  @ApiProperty({ description: 'Stream position of the last event applied to the attempt.' }) position!: number;
  @ApiProperty({ type: StageLinks }) links!: StageLinks;
}

export class JobListLinks {
  @ApiProperty({ example: '/api/v1/jobs/4f0c…' }) job!: string;
  @ApiProperty({ example: '/api/v1/jobs/4f0c…/logs' }) logs!: string;
}

/** One attempt of a job (an ML attempt: one of its steps) in a list of jobs. */
export class JobListItem {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_TYPES, description: 'The stage the job belongs to.' }) stage!: string;
  @ApiProperty({ example: 'training', description: 'Its task: the stage, or the ML step.' }) task!: string;
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) requestedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Who owns it: its run's starter." }) owner!: string | null;
  @ApiProperty({ type: JobListLinks }) links!: JobListLinks;
  @ApiProperty() position!: number;
}

export class JobPage {
  @ApiProperty({ type: [JobListItem] }) items!: JobListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty() sort!: string;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: () => Freshness }) freshness!: Freshness;
}
