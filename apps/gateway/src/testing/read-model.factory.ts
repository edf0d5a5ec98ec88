import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * Builds read-model rows the way the projector writes them; each factory takes the fields a test
 * cares about and fills the rest.
 */
export const ReadModelFactory = {
  kit: (o: { kit_id: number; last_run_id: string; position: number } & Record<string, unknown>) => ({
    status: 'RUNNING',
    current_task: 'deck_collection',
    current_order: 1,
    runs: 1,
    created_at: new Date('2026-03-01T08:00:00Z'),
    updated_at: new Date('2026-03-01T08:00:05Z'),
    ...o,
  }),

  run: (o: { run_id: string; kit_id: number; position: number } & Record<string, unknown>) => ({
    deck_id: null,
    source_path: 'plant-a/march.csv',
    params: JSON.stringify({}),
    started_at: new Date('2026-03-01T08:00:00Z'),
    status: 'RUNNING',
    last_control: null,
    ...o,
  }),

  kitState: (o: { kit_id: number; run_id: string; job_id: string; position: number } & Record<string, unknown>) => ({
    job_type: 'deck',
    task_name: 'deck_collection',
    attempt: 1,
    status: 'RUNNING',
    current_order: 1,
    created_at: new Date('2026-03-01T08:00:02Z'),
    started_at: new Date('2026-03-01T08:00:02Z'),
    finished_at: null,
    reason: null,
    metadata: JSON.stringify({}),
    ...o,
  }),

  history: (o: { kit_id: number; run_id: string; job_id: string; position: number } & Record<string, unknown>) => ({
    job_type: 'deck',
    task_name: 'deck_collection',
    attempt: 1,
    status: 'PENDING',
    current_order: 1,
    created_at: new Date('2026-03-01T08:00:00Z'),
    reason: null,
    event_id: randomUUID(),
    ...o,
  }),

  deckCollection: (o: { job_id: string; run_id: string; kit_id: number; position: number } & Record<string, unknown>) => ({
    attempt: 1,
    status: 'RUNNING',
    deck_id: null,
    source_path: 'plant-a/march.csv',
    row_count: null,
    factors: null,
    responses: null,
    reason: null,
    requested_at: new Date('2026-03-01T08:00:00Z'),
    started_at: new Date('2026-03-01T08:00:02Z'),
    finished_at: null,
    timeout_ms: 300_000,
    created_at: new Date('2026-03-01T08:00:00Z'),
    updated_at: new Date('2026-03-01T08:00:02Z'),
    metadata: JSON.stringify({}),
    ...o,
  }),

  /** A row of doe_step or optimize_step (one attempt of the job). */
  stage: (o: { job_id: string; run_id: string; kit_id: number; position: number } & Record<string, unknown>) => ({
    attempt: 1,
    status: 'RUNNING',
    reason: null,
    requested_at: new Date('2026-03-01T08:01:00Z'),
    started_at: new Date('2026-03-01T08:01:01Z'),
    finished_at: null,
    timeout_ms: 300_000,
    created_at: new Date('2026-03-01T08:01:00Z'),
    updated_at: new Date('2026-03-01T08:01:01Z'),
    metadata: JSON.stringify({}),
    ...o,
  }),

  /** A row of ml_step: one step of one attempt of the ML job. */
  mlStep: (o: { job_id: string; run_id: string; kit_id: number; step_name: string; step_order: number; position: number } & Record<string, unknown>) => ({
    ...ReadModelFactory.stage(o),
    ...o,
  }),

  model: (o: { model_id: string; kit_id: number; run_id: string; position: number } & Record<string, unknown>) => ({
    model_version: 1,
    algorithm: 'ridge',
    deck_id: randomUUID(),
    dataset_id: randomUUID(),
    metrics: JSON.stringify({ rmse: 0.41, mae: 0.3 }),
    r2: 0.93,
    hyperparameters: JSON.stringify({ alpha: 0.1 }),
    params: JSON.stringify({ scaling: 'standard' }),
    factors: JSON.stringify(['temperature', 'pressure']),
    response: 'yield',
    lineage: JSON.stringify({ deckId: 'd', datasetId: 'ds', designType: 'latin-hypercube' }),
    artifact_digest: 'sha256:ab12',
    registered_at: new Date('2026-03-01T08:05:00Z'),
    ...o,
  }),

  jobLog: (o: { job_id: string; run_id: string; kit_id: number; seq: number; position: number } & Record<string, unknown>) => ({
    event_id: randomUUID(),
    attempt: 1,
    job_type: 'doe',
    at: new Date('2026-03-01T08:01:02Z'),
    level: 'info',
    task: null,
    message: 'working',
    ...o,
  }),

  deck: (o: { deck_id: string; position: number } & Record<string, unknown>) => ({
    name: 'plant A, March',
    dataset_type: 'Vector',
    format: 'csv',
    factors: JSON.stringify(['temperature', 'pressure']),
    responses: JSON.stringify(['yield']),
    row_count: 120,
    statistics: JSON.stringify({ temperature: { min: 20, max: 80 } }),
    ground_truth: null,
    ingested_at: new Date('2026-03-01T07:59:00Z'),
    ...o,
  }),
};

/** Inserts rows into a `read` table. */
export async function insertRows(db: Kysely<any>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length > 0) await db.withSchema('read').insertInto(table).values(rows).execute();
}
