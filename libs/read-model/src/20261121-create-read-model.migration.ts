import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely';

/**
 * The read model as the gateway queries it (docs: READ_MODEL). Every row carries `position`, the
 * events-stream sequence of the last event applied to it, which doubles as its version.
 */
export const createReadModel = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    const s = sql.id(schema);
    await sql`
      create table ${s}.kits (
        kit_id integer primary key,
        last_run_id uuid,
        status text not null,
        current_task text,
        current_order integer,
        runs integer not null default 0,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        position bigint not null
      )`.execute(db);
    await sql`create index kits_updated_at on ${s}.kits (updated_at desc, kit_id)`.execute(db);

    await sql`
      create table ${s}.runs (
        run_id uuid primary key,
        kit_id integer not null,
        deck_id uuid,
        source_path text,
        params jsonb,
        started_at timestamptz,
        status text not null,
        position bigint not null
      )`.execute(db);
    await sql`create index runs_kit_id on ${s}.runs (kit_id)`.execute(db);

    await sql`
      create table ${s}.kit_state (
        kit_id integer not null,
        job_type text not null,
        task_name text not null,
        job_id uuid not null,
        run_id uuid not null,
        attempt integer not null,
        status text not null,
        current_order integer not null,
        created_at timestamptz not null,
        started_at timestamptz,
        finished_at timestamptz,
        reason text,
        metadata jsonb not null default '{}',
        position bigint not null,
        primary key (kit_id, job_type, task_name)
      )`.execute(db);

    // Append-only, one row per state change: the seed's mlops_totalstate_table.
    await sql`
      create table ${s}.state_history (
        id bigserial primary key,
        kit_id integer not null,
        job_type text not null,
        task_name text not null,
        job_id uuid not null,
        run_id uuid not null,
        attempt integer not null,
        status text not null,
        current_order integer not null,
        created_at timestamptz not null,
        metadata jsonb not null default '{}',
        event_id uuid not null unique,
        position bigint not null
      )`.execute(db);
    await sql`create index state_history_kit_position on ${s}.state_history (kit_id, position)`.execute(db);

    // Events without a history row (run starts, decks, models), so a re-published copy is recognised.
    await sql`
      create table ${s}.folded_events (
        event_id uuid primary key,
        type text not null,
        position bigint not null
      )`.execute(db);

    const stageColumns = sql`
        run_id uuid not null,
        kit_id integer not null,
        attempt integer not null,
        status text not null,
        reason text,
        requested_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        timeout_ms bigint,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        metadata jsonb not null default '{}',
        position bigint not null`;

    await sql`
      create table ${s}.deck_collection (
        job_id uuid primary key,
        deck_id uuid,
        source_path text,
        row_count integer,
        factors jsonb,
        responses jsonb,
        ${stageColumns}
      )`.execute(db);
    await sql`
      create table ${s}.doe_step (
        job_id uuid primary key,
        data_info jsonb,
        ${stageColumns}
      )`.execute(db);
    await sql`
      create table ${s}.ml_step (
        job_id uuid not null,
        step_name text not null,
        step_order integer not null,
        ${stageColumns},
        primary key (job_id, step_name)
      )`.execute(db);
    await sql`
      create table ${s}.optimize_step (
        job_id uuid primary key,
        ${stageColumns}
      )`.execute(db);
    for (const table of ['deck_collection', 'doe_step', 'ml_step', 'optimize_step']) {
      await sql`create index ${sql.id(`${table}_run_id`)} on ${s}.${sql.id(table)} (run_id)`.execute(db);
    }

    await sql`
      create table ${s}.decks (
        deck_id uuid primary key,
        name text not null,
        dataset_type text not null,
        format text not null,
        factors jsonb not null,
        responses jsonb not null,
        row_count integer not null,
        statistics jsonb not null,
        ground_truth text,
        ingested_at timestamptz not null,
        position bigint not null
      )`.execute(db);

    await sql`
      create table ${s}.models (
        model_id uuid primary key,
        model_version integer not null,
        kit_id integer not null,
        run_id uuid not null,
        algorithm text not null,
        deck_id uuid not null,
        dataset_id uuid not null,
        metrics jsonb not null,
        r2 double precision not null,
        registered_at timestamptz not null,
        position bigint not null
      )`.execute(db);
    await sql`create index models_kit_id on ${s}.models (kit_id)`.execute(db);

    await sql`
      create table ${s}.projector_status (
        projector text primary key,
        position bigint not null default 0,
        applied_events bigint not null default 0,
        lag_events bigint not null default 0,
        lag_seconds double precision not null default 0,
        heartbeat_at timestamptz,
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`insert into ${s}.projector_status (projector) values ('projector')`.execute(db);
  },

  async down(db: Kysely<any>) {
    const s = sql.id(schema);
    for (const table of [
      'projector_status',
      'models',
      'decks',
      'optimize_step',
      'ml_step',
      'doe_step',
      'deck_collection',
      'folded_events',
      'state_history',
      'kit_state',
      'runs',
      'kits',
    ]) {
      await sql`drop table ${s}.${sql.id(table)}`.execute(db);
    }
  },
});
