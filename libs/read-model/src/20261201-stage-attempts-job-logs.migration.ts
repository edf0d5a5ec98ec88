import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely';

/**
 * Retries keep their history, jobs keep their logs, models their lineage:
 * - stage rows are keyed by attempt (a retry is a new attempt of the same job id), ML steps by
 *   attempt and step, so attempt 2 gets a row of its own beside attempt 1's;
 * - `job_logs` holds the lines jobs wrote (`JobLogged`), one row per line, keyed by the event and
 *   the line's index in it so a redelivered event adds nothing;
 * - `models` gets what `ModelRegistered` now says about a model (hyperparameters, settings,
 *   factors, response, lineage, artifact digest);
 * - `runs.last_control` is the latest stop or retry asked for the run.
 */
export const stageAttemptsAndJobLogs = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    const s = sql.id(schema);
    for (const table of ['deck_collection', 'doe_step', 'optimize_step']) {
      await sql`alter table ${s}.${sql.id(table)} drop constraint ${sql.id(`${table}_pkey`)}, add primary key (job_id, attempt)`.execute(db);
    }
    await sql`alter table ${s}.ml_step drop constraint ml_step_pkey, add primary key (job_id, attempt, step_name)`.execute(db);

    await sql`
      alter table ${s}.models
        add column hyperparameters jsonb,
        add column params jsonb,
        add column factors jsonb,
        add column response text,
        add column lineage jsonb,
        add column artifact_digest text`.execute(db);
    await sql`create index models_run_id on ${s}.models (run_id)`.execute(db);
    await sql`create index models_registered_at on ${s}.models (registered_at desc, model_id desc)`.execute(db);

    // {action, at, reason, actor, position}: its own position, so it merges independently of the run's status.
    await sql`alter table ${s}.runs add column last_control jsonb`.execute(db);

    await sql`
      create table ${s}.job_logs (
        event_id uuid not null,
        seq integer not null,
        job_id uuid not null,
        attempt integer not null,
        job_type text not null,
        kit_id integer not null,
        run_id uuid not null,
        at timestamptz not null,
        level text not null,
        task text,
        message text not null,
        position bigint not null,
        primary key (event_id, seq)
      )`.execute(db);
    await sql`create index job_logs_job on ${s}.job_logs (job_id, attempt, at)`.execute(db);
  },

  async down(db: Kysely<any>) {
    const s = sql.id(schema);
    await sql`drop table ${s}.job_logs`.execute(db);
    await sql`alter table ${s}.runs drop column last_control`.execute(db);
    await sql`drop index ${s}.models_registered_at`.execute(db);
    await sql`drop index ${s}.models_run_id`.execute(db);
    await sql`
      alter table ${s}.models
        drop column hyperparameters,
        drop column params,
        drop column factors,
        drop column response,
        drop column lineage,
        drop column artifact_digest`.execute(db);
    // Only possible while no job has a second attempt: the old keys cannot hold two.
    await sql`alter table ${s}.ml_step drop constraint ml_step_pkey, add primary key (job_id, step_name)`.execute(db);
    for (const table of ['deck_collection', 'doe_step', 'optimize_step']) {
      await sql`alter table ${s}.${sql.id(table)} drop constraint ${sql.id(`${table}_pkey`)}, add primary key (job_id)`.execute(db);
    }
  },
});
