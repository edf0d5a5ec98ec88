import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { createDatabase, migrateSchema } from '@vista/db';
import { createTestDatabase, type TestDatabase } from '@vista/testing';
import { stageAttemptsAndJobLogs } from './20261201-stage-attempts-job-logs.migration.js';
import { readModelMigration, readModelMigrations } from './read-model.migrations.js';
import { IDENTITY, kitChangedAt } from './tables/index.js';

describe('read-model migrations', () => {
  let database: TestDatabase;
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase('read_model_migrations');
    db = createDatabase({ url: database.url, poolMax: 2 });
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const stage = (jobId: string, attempt: number) => ({
    job_id: jobId,
    run_id: randomUUID(),
    kit_id: 1,
    attempt,
    status: 'FAILED',
    created_at: new Date(),
    updated_at: new Date(),
    position: attempt,
  });

  it('re-keys the stage tables by attempt in a schema that already holds rows, and adds job logs', async () => {
    const schema = 'read_rebuild_m1';
    const all = readModelMigrations(schema);
    const [first, second] = Object.keys(all);
    await migrateSchema(db, schema, { [first!]: all[first!]! });
    const jobId = randomUUID();
    await db.withSchema(schema).insertInto('doe_step').values(stage(jobId, 1)).execute();
    await db
      .withSchema(schema)
      .insertInto('ml_step')
      .values({ ...stage(jobId, 1), step_name: 'training', step_order: 3 })
      .execute();

    expect(await migrateSchema(db, schema, { [first!]: all[first!]!, [second!]: all[second!]! })).toEqual(['2026-12-01T00:00_stage-attempts-job-logs']);

    await db.withSchema(schema).insertInto('doe_step').values(stage(jobId, 2)).execute();
    await db
      .withSchema(schema)
      .insertInto('ml_step')
      .values({ ...stage(jobId, 2), step_name: 'training', step_order: 3 })
      .execute();
    const attempts = await db.withSchema(schema).selectFrom('doe_step').select('attempt').where('job_id', '=', jobId).orderBy('attempt').execute();
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2]);
    await expect(db.withSchema(schema).insertInto('doe_step').values(stage(jobId, 2)).execute()).rejects.toThrow(/duplicate key/);

    const line = {
      event_id: randomUUID(),
      seq: 0,
      job_id: jobId,
      attempt: 1,
      job_type: 'doe',
      kit_id: 1,
      run_id: randomUUID(),
      at: new Date(),
      level: 'info',
      message: 'm',
      position: 3,
    };
    await db.withSchema(schema).insertInto('job_logs').values(line).execute();
    await expect(db.withSchema(schema).insertInto('job_logs').values(line).execute()).rejects.toThrow(/duplicate key/);
  });

  it("gives stage rows already folded their result, from the completion event's detail they hold", async () => {
    const schema = 'read_rebuild_m2';
    const all = readModelMigrations(schema);
    const [first, second] = Object.keys(all);
    await migrateSchema(db, schema, { [first!]: all[first!]!, [second!]: all[second!]! });
    const jobId = randomUUID();
    const completed = { completedAt: '2026-03-01T08:00:00.000Z', designType: 'lhs', pointCount: 20, chain: { deckId: 'd' } };
    await db
      .withSchema(schema)
      .insertInto('doe_step')
      .values({ ...stage(jobId, 1), status: 'SUCCESS', metadata: JSON.stringify({ DoeStarted: {}, DoeCompleted: completed }) })
      .execute();
    await db
      .withSchema(schema)
      .insertInto('ml_step')
      .values({ ...stage(jobId, 1), step_name: 'test', step_order: 4, metadata: JSON.stringify({ MlTestCompleted: { completedAt: 'x', rmse: 0.4 } }) })
      .execute();
    await db.withSchema(schema).insertInto('doe_step').values(stage(jobId, 2)).execute();

    expect(await migrateSchema(db, schema, all)).toEqual([
      '2026-12-03T06:30_stage-results',
      '2026-12-03T06:39_owners',
      '2026-12-03T06:45_reconcile-watermarks-dead-letters',
      '2026-12-03T06:46_lean-read-model',
      '2026-12-03T07:20_identity-read-model',
      '2026-12-03T09:00_resources',
      '2026-12-03T10:10_job-list-indexes',
      '2026-12-03T15:00_kits-changed-order',
    ]);
    const doe = await db.withSchema(schema).selectFrom('doe_step').select(['attempt', 'result']).where('job_id', '=', jobId).orderBy('attempt').execute();
    expect(doe).toEqual([
      { attempt: 1, result: { designType: 'lhs', pointCount: 20 } },
      { attempt: 2, result: null },
    ]);
    const ml = await db.withSchema(schema).selectFrom('ml_step').select('result').where('job_id', '=', jobId).executeTakeFirst();
    expect(ml?.result).toEqual({ rmse: 0.4 });
    // The state's summary: the result's headline figures only.
    const summaries = await db.withSchema(schema).selectFrom('doe_step').select('summary').where('job_id', '=', jobId).orderBy('attempt').execute();
    expect(summaries.map((r) => r.summary)).toEqual([{ designType: 'lhs', pointCount: 20 }, null]);
  });

  it('adds the identity tables, the deactivated users in the shape the gateway reads, and drops them again', async () => {
    const schema = 'read_rebuild_m3';
    await migrateSchema(db, schema, readModelMigrations(schema));
    const identity = ['deactivated_users', 'model_access', 'role_requests', 'setup_models', 'users'];
    const present = async () =>
      (
        await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = ${schema} and table_name in (${sql.join(identity)}) order by 1`.execute(db)
      ).rows.map((r) => r.table_name);
    expect(await present()).toEqual(identity);
    const userId = randomUUID();
    await sql`insert into ${sql.id(schema)}.deactivated_users (user_id, position) values (${userId}, 1)`.execute(db);
    const { rows } = await sql<{
      user_id: string;
      deactivated_at: Date;
    }>`select user_id::text as user_id, deactivated_at from ${sql.id(schema)}.deactivated_users`.execute(db);
    expect(rows).toEqual([{ user_id: userId, deactivated_at: expect.any(Date) }]);

    await readModelMigration(IDENTITY, schema).down!(db);
    expect(await present()).toEqual([]);
  });

  it('migrates the serving schema from nothing and back down', async () => {
    const schema = 'read';
    await migrateSchema(db, schema, readModelMigrations(schema));
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = ${schema} and table_name = 'models' order by ordinal_position`.execute(db);
    expect(columns.rows.map((c) => c.column_name)).toEqual(
      expect.arrayContaining(['hyperparameters', 'params', 'factors', 'response', 'lineage', 'artifact_digest', 'registered_at']),
    );
    await stageAttemptsAndJobLogs(schema).down!(db);
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = ${schema} and table_name = 'job_logs'`.execute(db);
    expect(tables.rows).toEqual([]);
  });

  it("serves the kits' default order, the later of run and definition time, from an index in any session time zone", async () => {
    const schema = 'read_rebuild_m4';
    const s = sql.id(schema);
    await migrateSchema(db, schema, readModelMigrations(schema));
    // 3,000 kits; every third one's definition changed after its last run.
    await sql`
      insert into ${s}.kits (kit_id, status, created_at, updated_at, position, owner, definition)
      select i, 'SUCCESS', timestamptz '2026-01-01Z', timestamptz '2026-01-01Z' + make_interval(secs => i), i, 'u' || (i % 3),
             case when i % 3 = 0 then jsonb_build_object('updatedAt', to_char((timestamptz '2026-02-01Z' + make_interval(secs => i)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end
      from generate_series(1, 3000) i`.execute(db);
    await sql`analyze ${s}.kits`.execute(db);
    const changedAt = kitChangedAt(s);
    const page = (where: ReturnType<typeof sql>) =>
      sql<{ kit_id: number }>`
        select kit_id from ${s}.kits where ${where}
        order by ${changedAt} desc, kit_id desc limit 5`;
    const deep = sql`(${changedAt}, kit_id) < (timestamptz '2026-02-01Z' + interval '1500 seconds', 1500)`;

    await db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      for (const [where, index] of [
        [deep, 'kits_changed'],
        [sql`owner = 'u0' and ${deep}`, 'kits_owner_changed'],
      ] as const) {
        const plan = (await sql<{ 'QUERY PLAN': string }>`explain ${page(where)}`.execute(conn)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toContain(`Index Scan using ${index}`);
        expect(plan).not.toMatch(/\bSort\b/);
      }
      // Definitions changed later lead, then runs; the same under any time zone.
      for (const zone of ['UTC', 'Asia/Seoul', 'America/Los_Angeles']) {
        await sql`set time zone ${sql.lit(zone)}`.execute(conn);
        expect((await page(deep).execute(conn)).rows.map((r) => r.kit_id)).toEqual([1497, 1494, 1491, 1488, 1485]);
      }
    });
  });
});
