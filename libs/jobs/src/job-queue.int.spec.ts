import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { createPool, migrateSchema } from '@vista/db';
import { type TestDatabase, createTestDatabase } from '@vista/testing';
import { type ClaimedJob, JobQueue } from './job-queue.js';
import { stageMigrations } from './run-control.js';

const SCHEMA = 'doe';

describe('JobQueue claims (real Postgres)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<any>;
  let queue: JobQueue;

  beforeEach(async () => {
    database = await createTestDatabase('job_queue');
    pool = createPool({ url: database.url, poolMax: 12, applicationName: 'test-job-queue' });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await migrateSchema(db, SCHEMA, stageMigrations(SCHEMA));
    queue = new JobQueue(db, SCHEMA);
  });

  afterEach(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const enqueue = async (count: number, kits = 5): Promise<string[]> => {
    const runIds = Array.from({ length: count }, () => randomUUID());
    await db.transaction().execute(async (trx) => {
      for (const [i, runId] of runIds.entries()) await queue.enqueue({ runId, kitId: i % kits, jobId: randomUUID(), attempt: 1, priority: 0 }, trx);
    });
    return runIds;
  };

  /** `owners` replicas claiming at once until the queue has nothing left for them; every claim each made. */
  const claimAll = async (owners: number, leaseMs: number): Promise<Map<string, ClaimedJob[]>> => {
    const claims = new Map<string, ClaimedJob[]>();
    await Promise.all(
      Array.from({ length: owners }, async (_, i) => {
        const owner = `replica-${i}`;
        const mine: ClaimedJob[] = [];
        claims.set(owner, mine);
        for (let job = await queue.claim(owner, leaseMs); job; job = await queue.claim(owner, leaseMs)) mine.push(job);
      }),
    );
    return claims;
  };

  it('leases each waiting job to exactly one of many replicas claiming at once, none of it as a takeover', async () => {
    const runIds = await enqueue(300);
    const claims = await claimAll(10, 60_000);

    const claimed = [...claims.values()].flat();
    const timesClaimed = new Map<string, number>();
    for (const job of claimed) timesClaimed.set(job.runId, (timesClaimed.get(job.runId) ?? 0) + 1);
    expect([...timesClaimed.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(timesClaimed.keys())).toEqual(new Set(runIds));
    expect(claimed.filter((job) => job.takenOver)).toEqual([]);

    // The queue agrees: each row is leased to the replica that was told it got it.
    const { rows } = await sql<{ run_id: string; owner: string }>`select run_id, owner from ${sql.id(SCHEMA, 'job_queue')}`.execute(db);
    const ownerOf = new Map(rows.map((row) => [row.run_id, row.owner]));
    for (const [owner, jobs] of claims) for (const job of jobs) expect([job.runId, ownerOf.get(job.runId)]).toEqual([job.runId, owner]);
  });

  it('hands a job whose lease ran out to exactly one replica, as a takeover', async () => {
    const runIds = await enqueue(60);
    const first = await claimAll(1, 60_000);
    expect(first.get('replica-0')).toHaveLength(60);
    // Its replica died: every lease runs out.
    await sql`update ${sql.id(SCHEMA, 'job_queue')} set lease_until = now() - interval '1 second'`.execute(db);

    const claims = await claimAll(8, 60_000);
    const claimed = [...claims.values()].flat();
    expect(claimed.map((job) => job.runId).sort()).toEqual([...runIds].sort());
    expect(claimed.every((job) => job.takenOver)).toBe(true);
  });

  it('does not give a job back to the queue when a replica still holds its lease', async () => {
    const [runId] = await enqueue(1);
    const held = await queue.claim('replica-a', 60_000);
    expect(held?.runId).toBe(runId);
    expect(await queue.claim('replica-b', 60_000)).toBeUndefined();
    expect(await queue.renew('replica-a', [runId!], 60_000)).toEqual(new Set([runId]));
    expect(await queue.renew('replica-b', [runId!], 60_000)).toEqual(new Set());
  });
});
