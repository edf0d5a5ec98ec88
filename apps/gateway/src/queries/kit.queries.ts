import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { DeckCollectionDetail, HistoryEntry, JobState, KitState, KitSummary, ProjectorFreshness, RunDetails, RunTasks } from '../dto/kit.response.js';
import { READ_SCHEMA, type DeckCollectionTable, type KitStateTable, type KitsTable, type ReadDatabase, type StateHistoryTable } from './read-model.tables.js';
import { camelizeRow, iso } from './row-mapping.js';
import { runVersion, toRun } from './run.queries.js';
import { attemptsOf, latestPerStage, toStageState } from './stage-views.js';

/** Reads kits from the `read` schema: lists, the three-depth state and the history. */
@Injectable()
export class KitQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  /** One page of kits, the most recently updated first. */
  async list(page: number, pageSize: number): Promise<{ items: KitSummary[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('kits')
        .selectAll()
        .orderBy('updated_at', 'desc')
        .orderBy('kit_id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db
        .selectFrom('kits')
        .select((eb) => eb.fn.countAll<string>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toKitSummary), total: Number(count.total) };
  }

  async exists(kitId: number): Promise<boolean> {
    const row = await this.db.selectFrom('kits').select('kit_id').where('kit_id', '=', kitId).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The version of a kit's state — the highest position over the rows `state` would read — in one
   * indexed statement, so a conditional request is answered without loading the state.
   */
  async version(kitId: number): Promise<number | undefined> {
    const t = (name: string) => sql.table(`${READ_SCHEMA}.${name}`);
    const maxOf = (table: string) => sql`(select max(d.position) from ${t(table)} d where d.run_id = k.last_run_id)`;
    const { rows } = await sql<{ position: number }>`
      select greatest(
        k.position,
        (select greatest(r.position, (r.last_control ->> 'position')::bigint) from ${t('runs')} r where r.run_id = k.last_run_id),
        (select max(s.position) from ${t('kit_state')} s where s.kit_id = k.kit_id and s.run_id = k.last_run_id),
        ${maxOf('deck_collection')}, ${maxOf('doe_step')}, ${maxOf('ml_step')}, ${maxOf('optimize_step')}
      ) as position
      from ${t('kits')} k where k.kit_id = ${kitId}`.execute(this.db);
    return rows[0]?.position;
  }

  /**
   * A kit's state for its latest run — overall (the kit and the run) and per job (the newest attempt
   * of each stage, with its ML steps and headline figures) — read in one repeatable-read snapshot so
   * the parts agree with each other and with the position they are versioned by. Large details are
   * linked, not included.
   */
  async state(kitId: number): Promise<KitState | undefined> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const kit = await trx.selectFrom('kits').selectAll().where('kit_id', '=', kitId).executeTakeFirst();
        if (!kit) return undefined;
        const runId = kit.last_run_id;
        // The tasks' rows are not shown here but version the answer (as `version` counts them).
        const taskPosition = runId
          ? await trx
              .selectFrom('kit_state')
              .select((eb) => eb.fn.max('position').as('position'))
              .where('kit_id', '=', kitId)
              .where('run_id', '=', runId)
              .executeTakeFirst()
          : undefined;
        const run = runId ? await trx.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst() : undefined;
        const { deckCollection: deck, doe, ml, optimize } = await runStageRows(trx, runId);
        const projector = await trx.selectFrom('projector_status').selectAll().where('projector', '=', 'projector').executeTakeFirst();
        const position = Math.max(
          kit.position,
          run ? runVersion(run) : 0,
          Number(taskPosition?.position ?? 0),
          ...[...deck, ...doe, ...ml, ...optimize].map((r) => Number(r.position)),
        );
        const freshness: ProjectorFreshness | null = projector
          ? { position: projector.position, lagEvents: projector.lag_events, lagSeconds: projector.lag_seconds, heartbeatAt: iso(projector.heartbeat_at) }
          : null;
        const runUrl = runId ? `/api/v1/runs/${runId}` : null;
        return {
          kitId,
          overall: toKitSummary(kit),
          run: run ? toRun(run) : null,
          stages: latestPerStage(attemptsOf({ deck, doe, ml, optimize })).map(toStageState),
          freshness: { position, projector: freshness },
          links: {
            self: `/api/v1/kits/${kitId}/state`,
            history: `/api/v1/kits/${kitId}/history`,
            run: runUrl,
            tasks: runUrl && `${runUrl}/tasks`,
            details: runUrl && `${runUrl}/details`,
          },
        };
      });
  }

  /** The latest state of each task of a run, in chain order, with its start and end from the stage rows; undefined for an unknown run. */
  async tasks(runId: string): Promise<RunTasks | undefined> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const run = await trx.selectFrom('runs').select('run_id').where('run_id', '=', runId).executeTakeFirst();
        const rows = await trx.selectFrom('kit_state').selectAll().where('run_id', '=', runId).orderBy('current_order').orderBy('task_name').execute();
        if (!run && rows.length === 0) return undefined;
        const stages = await runStageRows(trx, runId);
        const stageRowsOfRun = [...stages.deckCollection, ...stages.doe, ...stages.ml, ...stages.optimize] as unknown as Record<string, unknown>[];
        return { runId, items: rows.map((row) => withJobTimes(toJobState(row), stageRowsOfRun)) };
      });
  }

  /** A run's stage rows, every attempt, with their full metadata; undefined for an unknown run. */
  async details(runId: string): Promise<RunDetails | undefined> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const run = await trx.selectFrom('runs').select('run_id').where('run_id', '=', runId).executeTakeFirst();
        const { deckCollection, doe, ml, optimize } = await runStageRows(trx, runId);
        if (!run && deckCollection.length + doe.length + ml.length + optimize.length === 0) return undefined;
        const camelize = (row: unknown) => camelizeRow(row as Record<string, unknown>);
        return {
          runId,
          deckCollection: deckCollection.map(toDeckCollectionDetail),
          doe: doe.map(camelize),
          ml: ml.map(camelize),
          optimize: optimize.map(camelize),
        };
      });
  }

  /** State changes of a kit after `afterPosition`, oldest first. */
  async history(kitId: number, afterPosition: number, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom('state_history')
      .selectAll()
      .where('kit_id', '=', kitId)
      .where('position', '>', afterPosition)
      .orderBy('position')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toHistoryEntry);
  }
}

type StageTable = 'deck_collection' | 'doe_step' | 'ml_step' | 'optimize_step';

/** Detail rows of a stage for a run: every attempt of its jobs, oldest first. */
async function stageRows<T extends StageTable>(
  trx: Transaction<ReadDatabase>,
  table: T,
  runId: string | null | undefined,
): Promise<Selectable<ReadDatabase[T]>[]> {
  if (!runId) return [];
  const from: string = table;
  const rows = await (trx as Transaction<any>).selectFrom(from).selectAll().where('run_id', '=', runId).orderBy('position').execute();
  return rows as Selectable<ReadDatabase[T]>[];
}

/** Every stage's rows of a run (in the caller's snapshot). */
async function runStageRows(trx: Transaction<ReadDatabase>, runId: string | null | undefined) {
  return {
    deckCollection: await stageRows(trx, 'deck_collection', runId),
    doe: await stageRows(trx, 'doe_step', runId),
    ml: await stageRows(trx, 'ml_step', runId),
    optimize: await stageRows(trx, 'optimize_step', runId),
  };
}

export function toKitSummary(row: Selectable<KitsTable>): KitSummary {
  return {
    kitId: row.kit_id,
    runId: row.last_run_id,
    status: row.status,
    currentTask: row.current_task,
    currentOrder: row.current_order,
    runs: row.runs,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    position: row.position,
  };
}

/**
 * A job's start and end times come from its stage row (kept per attempt whatever order events
 * arrive in); the state row only holds the latest transition. ML rows are per step: matched by step name.
 */
function withJobTimes(job: JobState, stageRows: readonly Record<string, unknown>[]): JobState {
  const row = stageRows.find((r) => r.job_id === job.jobId && r.attempt === job.attempt && (r.step_name === undefined || r.step_name === job.taskName));
  if (!row) return job;
  return {
    ...job,
    startedAt: job.startedAt ?? iso(row.started_at as Date | null),
    finishedAt: job.finishedAt ?? iso(row.finished_at as Date | null),
  };
}

function toJobState(row: Selectable<KitStateTable>): JobState {
  return {
    jobType: row.job_type,
    taskName: row.task_name,
    jobId: row.job_id,
    runId: row.run_id,
    attempt: row.attempt,
    status: row.status,
    currentOrder: row.current_order,
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    reason: row.reason,
    metadata: row.metadata,
    position: row.position,
  };
}

function toDeckCollectionDetail(row: Selectable<DeckCollectionTable>): DeckCollectionDetail {
  return {
    jobId: row.job_id,
    runId: row.run_id,
    kitId: row.kit_id,
    attempt: row.attempt,
    status: row.status,
    deckId: row.deck_id,
    sourcePath: row.source_path,
    rowCount: row.row_count,
    factors: row.factors,
    responses: row.responses,
    reason: row.reason,
    requestedAt: iso(row.requested_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    timeoutMs: row.timeout_ms,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    metadata: row.metadata,
    position: row.position,
  };
}

function toHistoryEntry(row: Selectable<StateHistoryTable>): HistoryEntry {
  return {
    id: row.id,
    kitId: row.kit_id,
    jobType: row.job_type,
    taskName: row.task_name,
    jobId: row.job_id,
    runId: row.run_id,
    attempt: row.attempt,
    status: row.status,
    currentOrder: row.current_order,
    createdAt: iso(row.created_at),
    metadata: row.metadata,
    eventId: row.event_id,
    position: row.position,
  };
}
