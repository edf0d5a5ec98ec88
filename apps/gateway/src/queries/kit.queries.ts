import { Inject, Injectable } from '@nestjs/common';
import { type JobStatus, TERMINAL_STATUSES } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { type Kysely, type Selectable, type SelectQueryBuilder, type Transaction, sql } from 'kysely';
import { deckCollectionTable, doeStepTable, kitChangedAt, mlStepTable, optimizeStepTable } from '@vista/read-model';
import type {
  DeckCollectionDetail,
  HistoryEntry,
  JobState,
  KitRun,
  KitState,
  KitSummary,
  ProjectorFreshness,
  RunDetails,
  RunTasks,
} from '../dto/kit.response.js';
import { containsPattern, defineListing, keysetPage, listTotal, type Page, type PageRequest } from './listing.js';
import { OwnershipQueries, type Viewer } from './ownership.queries.js';
import { preparedQuery } from './prepared-query.js';
import {
  READ_SCHEMA,
  type DeckCollectionTable,
  type KitStateTable,
  type KitsTable,
  type ReadDatabase,
  type RunsTable,
  type StateHistoryTable,
} from './read-model.tables.js';
import { camelizeRow, iso } from './row-mapping.js';
import { runVersion, toRun } from './run.queries.js';
import { attemptsOf, latestPerStage, toStageState } from './stage-views.js';

// A kit's name and the rest of its definition live in its stamped definition (null for kits only ever started).
const NAME = sql`coalesce(kits.definition ->> 'name', '')`;
const ARCHIVED = sql`coalesce((kits.definition ->> 'archived')::boolean, false)`;
/** A kit changes with its runs and with its definition: the later of the two (the expression its indexes hold). */
const UPDATED_AT = kitChangedAt(sql.id(READ_SCHEMA));

/** Kits: the most recently updated first by default. */
export const KIT_LISTING = defineListing({
  name: 'kits',
  sorts: {
    updatedAt: { sql: UPDATED_AT, type: 'timestamptz' },
    createdAt: { sql: sql`kits.created_at`, type: 'timestamptz' },
    name: { sql: NAME, type: 'text' },
    kitId: { sql: sql`kits.kit_id`, type: 'integer' },
  },
  id: { sql: sql`kits.kit_id`, type: 'integer' },
  defaultSort: '-updatedAt',
});

/** A kit's runs, the newest first by default. */
export const RUN_LISTING = defineListing({
  name: 'runs',
  sorts: {
    startedAt: { sql: sql`coalesce(runs.started_at, 'epoch'::timestamptz)`, type: 'timestamptz' },
    status: { sql: sql`runs.status`, type: 'text' },
  },
  id: { sql: sql`runs.run_id`, type: 'uuid' },
  defaultSort: '-startedAt',
});

export interface KitFilter {
  readonly owner?: string;
  readonly status?: string;
  readonly name?: string;
  readonly q?: string;
  readonly projectId?: string;
  readonly updatedFrom?: string;
  readonly updatedTo?: string;
  readonly archived: 'exclude' | 'include' | 'only';
}

export interface RunFilter {
  readonly kitId?: number;
  /** Only runs this user started. */
  readonly owner?: string;
  readonly status?: string;
  readonly deckId?: string;
  readonly startedFrom?: string;
  readonly startedTo?: string;
}

/** Reads kits from the `read` schema: lists, the three-depth state and the history. */
@Injectable()
export class KitQueries {
  private readonly db: Kysely<ReadDatabase>;

  /** The statements of the state and the history: the most read answers, the same statements each time. */
  private readonly stateReads;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
    this.stateReads = stateStatements(this.db);
  }

  /**
   * One page of kits matching `filter`: after `cursor` (keyset: an index range scan, as fast deep in the
   * list as at its start) or, without one, by page number.
   */
  async list(filter: KitFilter, request: PageRequest & { page: number }): Promise<Page<KitSummary> & { total: number }> {
    const filtered = this.filtered(filter);
    const [page, total] = await Promise.all([
      keysetPage(KIT_LISTING, filtered.selectAll('kits'), { ...request, offset: (request.page - 1) * request.pageSize }, (row) =>
        toKitSummary(row as Selectable<KitsTable>),
      ),
      this.total(filter),
    ]);
    return { ...page, total };
  }

  private filtered(filter: KitFilter) {
    const contains = (text: string) => containsPattern(text);
    return this.db
      .selectFrom('kits')
      .$if(filter.owner !== undefined, (q) => q.where('owner', '=', filter.owner!))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
      .$if(filter.name !== undefined, (q) => q.where(sql<boolean>`${NAME} ilike ${contains(filter.name!)}`))
      .$if(filter.q !== undefined, (q) =>
        q.where(
          sql<boolean>`(${NAME} ilike ${contains(filter.q!)} or coalesce(kits.definition ->> 'description', '') ilike ${contains(filter.q!)} or kits.kit_id::text = ${filter.q!})`,
        ),
      )
      .$if(filter.projectId !== undefined, (q) => q.where(sql<boolean>`kits.definition ->> 'projectId' = ${filter.projectId!}`))
      .$if(filter.updatedFrom !== undefined, (q) => q.where(sql<boolean>`${UPDATED_AT} >= ${new Date(filter.updatedFrom!)}`))
      .$if(filter.updatedTo !== undefined, (q) => q.where(sql<boolean>`${UPDATED_AT} <= ${new Date(filter.updatedTo!)}`))
      .$if(filter.archived === 'exclude', (q) => q.where(sql<boolean>`not ${ARCHIVED}`))
      .$if(filter.archived === 'only', (q) => q.where(sql<boolean>`${ARCHIVED}`));
  }

  /**
   * Kits matching the filter: counted; all kits of every owner (no other filter) are counted while few
   * and estimated from the table statistics beyond (no count over every row).
   */
  private async total(filter: KitFilter): Promise<number> {
    const unfiltered = Object.entries(filter).every(([key, value]) => value === undefined || (key === 'archived' && value !== 'only'));
    return listTotal(this.db, `${READ_SCHEMA}.kits`, unfiltered, async () => {
      const count = await this.filtered(filter)
        .select((eb) => eb.fn.countAll<string>().as('total'))
        .executeTakeFirstOrThrow();
      return Number(count.total);
    });
  }


  /** A kit's overview (its definition and where its latest run stands), or undefined. */
  async get(kitId: number): Promise<KitSummary | undefined> {
    const row = await this.db.selectFrom('kits').selectAll().where('kit_id', '=', kitId).executeTakeFirst();
    return row && toKitSummary(row);
  }

  /** One page of runs (a kit's, a user's, …), each with its status, attempts and times. */
  async runs(filter: RunFilter, request: PageRequest): Promise<Page<KitRun>> {
    const t = (name: string) => sql.table(`${READ_SCHEMA}.${name}`);
    const stages = ['deck_collection', 'doe_step', 'ml_step', 'optimize_step'];
    const over = (expr: string) => sql.join(stages.map((s) => sql`(select ${sql.raw(expr)} from ${t(s)} s where s.run_id = runs.run_id)`));
    const query = this.db
      .selectFrom('runs')
      .selectAll('runs')
      .select([
        sql<number | null>`greatest(${over('max(s.attempt)')})`.as('attempts'),
        sql<number | null>`(${sql.join(
          stages.map((s) => sql`coalesce((select count(*) from ${t(s)} s where s.run_id = runs.run_id), 0)`),
          sql` + `,
        )})`.as('job_attempts'),
        sql<Date | null>`greatest(${over('max(s.finished_at)')})`.as('finished_at'),
      ])
      .$if(filter.kitId !== undefined, (q) => q.where('runs.kit_id', '=', filter.kitId!))
      .$if(filter.owner !== undefined, (q) => q.where('runs.started_by', '=', filter.owner!))
      .$if(filter.status !== undefined, (q) => q.where('runs.status', '=', filter.status!))
      .$if(filter.deckId !== undefined, (q) => q.where('runs.deck_id', '=', filter.deckId!))
      .$if(filter.startedFrom !== undefined, (q) => q.where('runs.started_at', '>=', new Date(filter.startedFrom!)))
      .$if(filter.startedTo !== undefined, (q) => q.where('runs.started_at', '<=', new Date(filter.startedTo!)));
    return keysetPage(RUN_LISTING, query, request, (row) => {
      const r = row as RunsTable & { attempts: number | null; job_attempts: number | string | null; finished_at: Date | null };
      const ended = TERMINAL_STATUSES.includes(r.status as JobStatus);
      return {
        ...toRun(r),
        attempts: r.attempts ?? 0,
        jobAttempts: Number(r.job_attempts ?? 0),
        finishedAt: ended ? iso(r.finished_at) : null,
      };
    });
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
        (k.definition ->> 'position')::bigint,
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
   * linked, not included. Another user's kit than `viewer`'s is a NotFoundError, as an unknown one.
   */
  async state(kitId: number, viewer: Viewer): Promise<KitState | undefined> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const reads = this.stateReads;
        const [kit] = await reads.kit.execute(trx, kitId);
        if (!kit) return undefined;
        OwnershipQueries.assertVisible(viewer, kit.owner, `kit ${kitId}`);
        const runId = kit.last_run_id;
        // The tasks' rows are not shown here but version the answer (as `version` counts them).
        const [taskPosition] = runId ? await reads.taskPosition.execute(trx, kitId, runId) : [];
        const [run] = runId ? await reads.run.execute(trx, runId) : [];
        const [deck, doe, ml, optimize] = runId
          ? [
              await reads.deckCollection.execute(trx, runId),
              await reads.doe.execute(trx, runId),
              await reads.ml.execute(trx, runId),
              await reads.optimize.execute(trx, runId),
            ]
          : [[], [], [], []];
        const [projector] = await reads.projector.execute(trx);
        const position = Math.max(
          kit.position,
          kit.definition?.position ?? 0,
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
    const rows = await this.stateReads.history.execute(this.db, kitId, afterPosition, limit);
    return rows.map(toHistoryEntry);
  }

}

type StageTable = 'deck_collection' | 'doe_step' | 'ml_step' | 'optimize_step';

const STAGE_TABLES = { deck_collection: deckCollectionTable, doe_step: doeStepTable, ml_step: mlStepTable, optimize_step: optimizeStepTable };
/** Large columns a kit's state does not show (they stay for the run's details and the job's page). */
const DETAIL_COLUMNS = new Set(['metadata', 'result', 'summary', 'data_info']);

/**
 * Rows of a stage for a run: every attempt of its jobs, oldest first. `summary` reads them without
 * their large columns, the headline figures (`summary`) standing in for the result.
 */
function stageRowsQuery(db: Kysely<any>, table: StageTable, runId: string, depth: 'full' | 'summary') {
  const query = db.selectFrom(table as string);
  return (
    depth === 'full'
      ? query.selectAll()
      : query.select([...Object.keys(STAGE_TABLES[table].columns).filter((c) => !DETAIL_COLUMNS.has(c)), sql`summary`.as('result')])
  )
    .where('run_id', '=', runId)
    .orderBy('position');
}

/** The statements of a kit's state and history, prepared on `db`. */
function stateStatements(db: Kysely<ReadDatabase>) {
  const stage = <T extends StageTable>(table: T) =>
    preparedQuery((runId: string) => stageRowsQuery(db as Kysely<any>, table, runId, 'summary') as SelectQueryBuilder<any, any, Selectable<ReadDatabase[T]>>);
  return {
    kit: preparedQuery((kitId: number) => db.selectFrom('kits').selectAll().where('kit_id', '=', kitId)),
    taskPosition: preparedQuery((kitId: number, runId: string) =>
      db
        .selectFrom('kit_state')
        .select((eb) => eb.fn.max('position').as('position'))
        .where('kit_id', '=', kitId)
        .where('run_id', '=', runId),
    ),
    run: preparedQuery((runId: string) => db.selectFrom('runs').selectAll().where('run_id', '=', runId)),
    deckCollection: stage('deck_collection'),
    doe: stage('doe_step'),
    ml: stage('ml_step'),
    optimize: stage('optimize_step'),
    projector: preparedQuery(() => db.selectFrom('projector_status').selectAll().where('projector', '=', 'projector')),
    history: preparedQuery((kitId: number, afterPosition: number, limit: number) =>
      db
        .selectFrom('state_history')
        .selectAll()
        .where('kit_id', '=', kitId)
        .where('position', '>', afterPosition)
        .orderBy('position')
        .orderBy('event_id')
        .limit(limit),
    ),
  };
}

/** Every stage's rows of a run, whole (in the caller's snapshot). */
async function runStageRows(trx: Transaction<ReadDatabase>, runId: string) {
  const rows = async <T extends StageTable>(table: T) =>
    (await stageRowsQuery(trx as Kysely<any>, table, runId, 'full').execute()) as Selectable<ReadDatabase[T]>[];
  return {
    deckCollection: await rows('deck_collection'),
    doe: await rows('doe_step'),
    ml: await rows('ml_step'),
    optimize: await rows('optimize_step'),
  };
}

export function toKitSummary(row: Selectable<KitsTable>): KitSummary {
  const definition = row.definition;
  const definedAt = definition ? new Date(definition.updatedAt) : row.updated_at;
  return {
    kitId: row.kit_id,
    name: definition?.name ?? null,
    description: definition?.description ?? null,
    defaultParams: definition?.defaultParams ?? null,
    projectId: definition?.projectId ?? null,
    archived: definition?.archived ?? false,
    archivedAt: definition?.archivedAt ?? null,
    runId: row.last_run_id,
    status: row.status,
    currentTask: row.current_task,
    currentOrder: row.current_order,
    runs: row.runs,
    owner: row.owner,
    createdAt: iso(row.created_at),
    updatedAt: iso(definedAt > row.updated_at ? definedAt : row.updated_at),
    position: Math.max(row.position, definition?.position ?? 0),
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
    kitId: row.kit_id,
    jobType: row.job_type,
    taskName: row.task_name,
    jobId: row.job_id,
    runId: row.run_id,
    attempt: row.attempt,
    status: row.status,
    currentOrder: row.current_order,
    createdAt: iso(row.created_at),
    reason: row.reason,
    actor: row.actor,
    eventId: row.event_id,
    position: row.position,
  };
}

/** The actor an event's metadata names (every projected row keeps its event's metadata). */
