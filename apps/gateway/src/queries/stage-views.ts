import { STAGE_SUMMARY_FIELDS } from '@vista/read-model';
import { isTerminal, JOB_TYPES, type JobStatus, type JobType, ML_STEPS } from '@vista/contracts';
import type { JobAttemptView, MlStepState, MlStepView, StageState } from '../dto/job.response.js';
import type { DeckCollectionTable, DoeStepTable, MlStepTable, OptimizeStepTable } from './read-model.tables.js';
import { iso } from './row-mapping.js';

/** The stage rows of some jobs, by table (any attempts, any runs). */
export interface StageRows {
  readonly deck: readonly DeckCollectionTable[];
  readonly doe: readonly DoeStepTable[];
  readonly ml: readonly MlStepTable[];
  readonly optimize: readonly OptimizeStepTable[];
}

type StageRow = DeckCollectionTable | DoeStepTable | OptimizeStepTable | MlStepTable;
type Detail = Record<string, unknown>;

/** Every attempt of the given rows' jobs (an ML attempt is its steps rolled up), in no particular order. */
export function attemptsOf(rows: StageRows): JobAttemptView[] {
  const attempts: JobAttemptView[] = [
    ...rows.deck.map((row) => attemptOf('deck', row, deckDetail(row))),
    ...rows.doe.map((row) => attemptOf('doe', row, row.result)),
    ...rows.optimize.map((row) => attemptOf('optimize', row, row.result)),
  ];
  const mlAttempts = new Map<string, MlStepTable[]>();
  for (const row of rows.ml) {
    const key = `${row.job_id}/${row.attempt}`;
    mlAttempts.set(key, [...(mlAttempts.get(key) ?? []), row]);
  }
  for (const steps of mlAttempts.values()) attempts.push(mlAttemptOf(steps));
  return attempts;
}

/** A job's attempts, the newest first. */
export function newestFirst(attempts: readonly JobAttemptView[]): JobAttemptView[] {
  return [...attempts].sort((a, b) => b.attempt - a.attempt || b.position - a.position);
}

/** The newest attempt of each stage, in chain order (deck, doe, ml, optimize): a run's jobs. */
export function latestPerStage(attempts: readonly JobAttemptView[]): JobAttemptView[] {
  const latest = new Map<string, JobAttemptView>();
  for (const attempt of newestFirst(attempts)) if (!latest.has(attempt.jobType)) latest.set(attempt.jobType, attempt);
  return JOB_TYPES.flatMap((type) => latest.get(type) ?? []);
}

function attemptOf(jobType: JobType, row: StageRow, detail: Detail | null): JobAttemptView {
  return {
    jobId: row.job_id,
    jobType,
    kitId: row.kit_id,
    runId: row.run_id,
    attempt: row.attempt,
    status: row.status,
    reason: row.reason,
    requestedAt: iso(row.requested_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    timeoutMs: row.timeout_ms === null ? null : Number(row.timeout_ms),
    updatedAt: iso(row.updated_at),
    detail: row.status === 'SUCCESS' ? detail : null,
    position: Number(row.position),
  };
}

/**
 * One ML attempt from its step rows: it ended as the step that failed, timed out or was cancelled,
 * succeeded when `test` did, and is running in between (pending only before its first step starts).
 */
function mlAttemptOf(rows: readonly MlStepTable[]): JobAttemptView {
  const steps = [...rows].sort((a, b) => a.step_order - b.step_order).map(stepOf);
  const first = rows.reduce((a, b) => (a.step_order <= b.step_order ? a : b));
  const ended = steps.find((s) => s.status !== 'SUCCESS' && isTerminal(s.status as JobStatus));
  const last = steps[steps.length - 1]!;
  const status = ended?.status ?? rollUp(last, steps.length);
  const done = ended ?? (status === 'SUCCESS' ? last : undefined);
  const training = steps.find((s) => s.step === 'training')?.detail;
  const test = steps.find((s) => s.step === 'test')?.detail;
  return {
    jobId: first.job_id,
    jobType: 'ml',
    kitId: first.kit_id,
    runId: first.run_id,
    attempt: first.attempt,
    status,
    reason: ended?.reason ?? null,
    requestedAt: steps[0]!.requestedAt,
    startedAt: steps.map((s) => s.startedAt).find((t) => t !== null) ?? null,
    finishedAt: done?.finishedAt ?? null,
    timeoutMs: first.timeout_ms === null ? null : Number(first.timeout_ms),
    updatedAt: iso(rows.reduce((a, b) => (a.updated_at >= b.updated_at ? a : b)).updated_at),
    detail: status === 'SUCCESS' ? { ...training, ...test } : null,
    steps,
    position: Math.max(...steps.map((s) => s.position)),
  };
}

/** The status of an attempt none of whose steps ended badly, from its furthest step. */
function rollUp(last: MlStepView, stepCount: number): JobStatus {
  if (last.status === 'SUCCESS') return last.step === ML_STEPS[ML_STEPS.length - 1] ? 'SUCCESS' : 'RUNNING';
  // An attempt (a retry may begin at the step that failed) waits until its first step starts.
  if ((last.status === 'PENDING' || last.status === 'QUEUED') && stepCount === 1) return last.status;
  return 'RUNNING';
}

function stepOf(row: MlStepTable): MlStepView {
  return {
    step: row.step_name,
    stepOrder: row.step_order,
    status: row.status,
    reason: row.reason,
    requestedAt: iso(row.requested_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    detail: row.status === 'SUCCESS' ? row.result : null,
    position: Number(row.position),
  };
}

function deckDetail(row: DeckCollectionTable): Detail {
  return { deckId: row.deck_id, sourcePath: row.source_path, rowCount: row.row_count, factors: row.factors, responses: row.responses };
}

export const jobUrl = (jobId: string): string => `/api/v1/jobs/${jobId}`;

/** A stage's newest attempt as a kit's state shows it: where it stands, its headline figures, and links to the rest. */
export function toStageState(attempt: JobAttemptView): StageState {
  return {
    jobId: attempt.jobId,
    jobType: attempt.jobType,
    attempt: attempt.attempt,
    status: attempt.status,
    reason: attempt.reason,
    requestedAt: attempt.requestedAt,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    timeoutMs: attempt.timeoutMs,
    updatedAt: attempt.updatedAt,
    summary: attempt.jobType === 'ml' ? null : summaryOf(attempt.detail, attempt.jobType),
    ...(attempt.steps ? { steps: attempt.steps.map(toStepState) } : {}),
    position: attempt.position,
    links: { job: jobUrl(attempt.jobId), logs: `${jobUrl(attempt.jobId)}/logs` },
  };
}

function toStepState(step: MlStepView): MlStepState {
  const { detail, ...rest } = step;
  return { ...rest, summary: summaryOf(detail, step.step), position: step.position };
}

function summaryOf(detail: Detail | null, task: string): Detail | null {
  if (!detail) return null;
  // The read model's summary fields, by task name (a deck job's task is deck_collection).
  const fields = STAGE_SUMMARY_FIELDS[task === 'deck' ? 'deck_collection' : task] ?? [];
  return Object.fromEntries(fields.filter((field) => detail[field] !== undefined).map((field) => [field, detail[field]]));
}
