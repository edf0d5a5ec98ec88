import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES } from '@vista/contracts';
import { Freshness } from './freshness.response.js';
import { StageState } from './job.response.js';

export { Freshness, ProjectorFreshness } from './freshness.response.js';
import { Run } from './run.response.js';

/** Depth 1: a kit's overall state (`read.kits`). */
export class KitSummary {
  @ApiProperty({ example: 42 }) kitId!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Its name; null for a kit only ever started by id, never created as a named task.' })
  name!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Run parameters a run starts with unless it names its own.' })
  defaultParams!: Record<string, unknown> | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The project it belongs to.' }) projectId!: string | null;
  @ApiProperty({ description: 'Archived kits are left out of lists unless asked for (`archived=include|only`); they stay readable by id.' })
  archived!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The latest run.' }) runId!: string | null;
  @ApiProperty({ enum: [...JOB_STATUSES, 'NEW'], description: "The latest run's status; NEW before the first run." }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: 'deck_collection' }) currentTask!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 1 }) currentOrder!: number | null;
  @ApiProperty({ description: 'How many runs the kit has had.' }) runs!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Who owns the kit: who started its first run (a user id, or `service:<name>` for work a service did on its own). Others see it only as admins.',
  })
  owner!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When its runs or its definition last changed.' }) updatedAt!: string;
  @ApiProperty({ description: 'Stream position of the last event applied to this row.' }) position!: number;
}

export class KitPage {
  @ApiProperty({ type: [KitSummary] }) items!: KitSummary[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Kits in total: exact up to 10,000, estimated from the table statistics beyond (never a count over every row).' })
  total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
  @ApiProperty({ description: 'The sort the page is in.' }) sort!: string;
  @ApiProperty({ type: () => Freshness, description: 'How fresh the list is: every event up to `position` is in it (also `Vista-Position`).' })
  freshness!: Freshness;
}

/** Depth 2: the latest state of one job of the kit's last run (`read.kit_state`). */
export class JobState {
  @ApiProperty({ example: 'deck' }) jobType!: string;
  @ApiProperty({ example: 'deck_collection' }) taskName!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() currentOrder!: number;
  @ApiProperty({ format: 'date-time', description: 'When this state was reached.' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) metadata!: unknown;
  @ApiProperty() position!: number;
}

/** Depth 3 of the deck stage (`read.deck_collection`), one row per job attempt. */
export class DeckCollectionDetail {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() kitId!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deckId!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourcePath!: string | null;
  @ApiProperty({ nullable: true, type: Number }) rowCount!: number | null;
  @ApiProperty({ type: [String], nullable: true }) factors!: unknown;
  @ApiProperty({ type: [String], nullable: true }) responses!: unknown;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) requestedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) timeoutMs!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) metadata!: unknown;
  @ApiProperty() position!: number;
}

const STAGE_ROW = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

export class KitDetails {
  @ApiProperty({ type: [DeckCollectionDetail] }) deckCollection!: DeckCollectionDetail[];
  @ApiProperty({ ...STAGE_ROW, description: 'Rows of `read.doe_step` for the run (camelCase columns).' }) doe!: Record<string, unknown>[];
  @ApiProperty({ ...STAGE_ROW, description: 'Rows of `read.ml_step` for the run, one per step.' }) ml!: Record<string, unknown>[];
  @ApiProperty({ ...STAGE_ROW, description: 'Rows of `read.optimize_step` for the run.' }) optimize!: Record<string, unknown>[];
}

/** Where the rest of a kit's state is. */
export class KitStateLinks {
  @ApiProperty({ example: '/api/v1/kits/42/state' }) self!: string;
  @ApiProperty({ example: '/api/v1/kits/42/history', description: "The kit's state changes in order." }) history!: string;
  @ApiProperty({ nullable: true, type: String, example: '/api/v1/runs/4f0c…', description: 'The latest run.' }) run!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/v1/runs/4f0c…/tasks',
    description: 'The latest state of each task of the run, with the metadata of the event that set it (`read.kit_state`).',
  })
  tasks!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/v1/runs/4f0c…/details',
    description: "The run's stage rows, every attempt, with their full metadata (datasets' data_info, optimisation traces).",
  })
  details!: string | null;
}

/**
 * Where a kit stands for its latest run, each fact once and small: overall (`overall`, `run`) and per
 * job (`stages`: the newest attempt of each stage, ML with its steps, each with its headline figures).
 * Everything large is linked: a job's full output at `stages[].links.job`, the task rows and the stage
 * rows with their metadata at `links`.
 */
export class KitState {
  @ApiProperty() kitId!: number;
  @ApiProperty({ type: KitSummary }) overall!: KitSummary;
  @ApiProperty({ type: Run, nullable: true, description: 'The latest run, with its latest stop or retry.' }) run!: Run | null;
  @ApiProperty({
    type: [StageState],
    description:
      'Each job of the latest run (deck, doe, ml, optimize, as far as the chain got), its newest attempt: status, attempt, reason, ' +
      'times, headline figures, and for ML its steps in order.',
  })
  stages!: StageState[];
  @ApiProperty({ type: Freshness }) freshness!: Freshness;
  @ApiProperty({ type: KitStateLinks }) links!: KitStateLinks;
}

/** `GET /runs/{runId}/tasks`: the latest state of each task of a run (`read.kit_state`). */
export class RunTasks {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ type: [JobState], description: 'In chain order.' }) items!: JobState[];
}

/** `GET /runs/{runId}/details`: a run's stage rows, every attempt. */
export class RunDetails extends KitDetails {
  @ApiProperty({ format: 'uuid' }) runId!: string;
}

/** One state change (`read.state_history`). */
export class HistoryEntry {
  @ApiProperty() kitId!: number;
  @ApiProperty() jobType!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() currentOrder!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the job failed, timed out or was cancelled.' }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who made the change (a user id, or `service:<name>` for work a service did on its own).' })
  actor!: string | null;
  @ApiProperty({ format: 'uuid', description: "The event that made the change (its payload stays in the owning service's log)." }) eventId!: string;
  @ApiProperty() position!: number;
}

export class HistoryPage {
  @ApiProperty({ type: [HistoryEntry] }) items!: HistoryEntry[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `afterPosition` for the next page; null when this page is the last.' })
  nextAfterPosition!: number | null;
}

/** A run in a kit's list of runs. */
export class KitRun extends Run {
  @ApiProperty({ description: 'The highest attempt any of its jobs reached (1 unless a stage was retried; 0 before its first job).' }) attempts!: number;
  @ApiProperty({ description: 'Job attempts the run made over all its stages.' }) jobAttempts!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it ended; null while it has not.' }) finishedAt!: string | null;
}

export class KitRunPage {
  @ApiProperty({ type: [KitRun] }) items!: KitRun[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty() sort!: string;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: () => Freshness }) freshness!: Freshness;
}
