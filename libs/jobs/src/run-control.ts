import { type Kysely, type Transaction, sql } from 'kysely';
import type { Migration } from 'kysely';
import type { MigrationSet } from '@vista/db';
import { eventStoreMigrations } from '@vista/event-store';
import { jobQueueMigration } from './job-queue.js';

export type RunControlAction = 'stop' | 'retry';

/**
 * `run_control`: the latest stop or retry a stage service has seen for each run, by bus position.
 * A trigger that arrives after the run was stopped (it raced the stop across two services' relays)
 * is recorded CANCELLED at once instead of starting work.
 */
export const runControlMigration = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    await sql`
      create table ${sql.id(schema)}.run_control (
        run_id uuid primary key,
        action text not null check (action in ('stop', 'retry')),
        position bigint not null,
        updated_at timestamptz not null default now()
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table ${sql.id(schema)}.run_control`.execute(db);
  },
});

/** Reads and records run controls in one stage service's schema. */
export class RunControlTable {
  constructor(
    private readonly db: Kysely<any>,
    private readonly schema: string,
  ) {}

  /** The latest control recorded for the run (read in `trx` when given). */
  async latest(runId: string, trx?: Transaction<any>): Promise<{ action: RunControlAction; position: number } | undefined> {
    const { rows } = await sql<{ action: RunControlAction; position: string }>`
      select action, position from ${sql.id(this.schema, 'run_control')} where run_id = ${runId}`.execute(trx ?? this.db);
    return rows[0] && { action: rows[0].action, position: Number(rows[0].position) };
  }

  /** Records a control unless a later one (higher position) is already recorded. */
  async record(runId: string, action: RunControlAction, position: number, trx?: Transaction<any>): Promise<void> {
    await sql`
      insert into ${sql.id(this.schema, 'run_control')} as c (run_id, action, position) values (${runId}, ${action}, ${position})
      on conflict (run_id) do update set action = excluded.action, position = excluded.position, updated_at = now()
      where c.position < excluded.position`.execute(trx ?? this.db);
  }
}

/** A stage service schema's base: its event log, the runs' stop/retry marks and the job queue. */
export const stageMigrations = (schema: string): MigrationSet => ({
  ...eventStoreMigrations(schema),
  '2026-11-22T00:00_run-control': runControlMigration(schema),
  '2026-12-02T00:00_job-queue': jobQueueMigration(schema),
});
