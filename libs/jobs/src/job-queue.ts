import { type Kysely, type Transaction, sql } from 'kysely';
import type { Migration } from 'kysely';

/**
 * `job_queue`: a stage's jobs that are waiting for a worker or running, one row per run. A waiting row
 * has no owner; a running row is leased by the replica working on it until `lease_until`, which its
 * heartbeat pushes forward. A lease that runs out (its replica died) makes the row claimable again, so
 * another replica takes the job over. The row goes when the job ends.
 */
export const jobQueueMigration = (schema: string): Migration => ({
  async up(db: Kysely<any>) {
    await sql`
      create table ${sql.id(schema, 'job_queue')} (
        run_id uuid primary key,
        kit_id integer not null,
        job_id uuid not null,
        attempt integer not null,
        priority integer not null default 0,
        seq bigint generated always as identity,
        enqueued_at timestamptz not null default now(),
        owner text,
        lease_until timestamptz,
        claimed_at timestamptz
      )`.execute(db);
    await sql`create index ${sql.id(`${schema}_job_queue_waiting`)} on ${sql.id(schema, 'job_queue')} (kit_id, priority desc, seq)`.execute(db);
    // When each kit last had a job taken: among kits on the same turn, the one served longest ago goes first.
    await sql`
      create table ${sql.id(schema, 'job_queue_turns')} (
        kit_id integer primary key,
        last_claimed_at timestamptz not null
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table ${sql.id(schema, 'job_queue_turns')}`.execute(db);
    await sql`drop table ${sql.id(schema, 'job_queue')}`.execute(db);
  },
});

export interface QueuedJob {
  readonly runId: string;
  readonly kitId: number;
  readonly jobId: string;
  readonly attempt: number;
  readonly priority: number;
}

export interface ClaimedJob extends QueuedJob {
  /** The lease had run out on another replica: the job was running there and is taken over. */
  readonly takenOver: boolean;
}

export interface QueuePosition {
  /** 1 for the job that a free worker takes next. */
  readonly position: number;
  /** Jobs waiting in this stage's queue. */
  readonly waiting: number;
}

/**
 * The fair order of waiting jobs: higher priority first; among equal priorities each kit takes its
 * turn (a kit's n-th waiting job, counted after the jobs it already has running, goes after every
 * other kit's earlier turns; on the same turn, the kit served longest ago first), then first come
 * first served. One kit's hundred runs thus never starve another kit's single run. Expired leases
 * (jobs whose replica died) come before anything else.
 */
const candidates = (schema: string) => sql`
  running as (
    select kit_id, count(*)::int as n from ${sql.id(schema, 'job_queue')}
    where owner is not null and lease_until > now() group by kit_id
  ),
  candidates as (
    select q.run_id, q.kit_id, q.priority, q.seq, q.owner is not null as expired, t.last_claimed_at,
      row_number() over (partition by q.kit_id order by q.priority desc, q.seq) + coalesce(r.n, 0) as turn
    from ${sql.id(schema, 'job_queue')} q left join running r using (kit_id) left join ${sql.id(schema, 'job_queue_turns')} t using (kit_id)
    where q.owner is null or q.lease_until <= now()
  )`;

const fairOrder = (c: string) =>
  sql`${sql.ref(`${c}.expired`)} desc, ${sql.ref(`${c}.priority`)} desc, ${sql.ref(`${c}.turn`)}, ${sql.ref(`${c}.last_claimed_at`)} nulls first, ${sql.ref(`${c}.seq`)}`;

type Row = { run_id: string; kit_id: number; job_id: string; attempt: number; priority: number };
const toJob = (r: Row): QueuedJob => ({ runId: r.run_id, kitId: r.kit_id, jobId: r.job_id, attempt: r.attempt, priority: r.priority });

/** One stage schema's job queue and leases. */
export class JobQueue {
  constructor(
    private readonly db: Kysely<any>,
    private readonly schema: string,
  ) {}

  /** Puts a job in the queue (in the caller's transaction, beside the append that records it QUEUED). */
  async enqueue(job: QueuedJob, trx: Transaction<any>): Promise<void> {
    await sql`
      insert into ${sql.id(this.schema, 'job_queue')} (run_id, kit_id, job_id, attempt, priority)
      values (${job.runId}, ${job.kitId}, ${job.jobId}, ${job.attempt}, ${job.priority})
      on conflict (run_id) do update set job_id = excluded.job_id, attempt = excluded.attempt, priority = excluded.priority,
        enqueued_at = now(), owner = null, lease_until = null, claimed_at = null`.execute(trx);
  }

  /** Leases the next job in fair order to `owner`, or returns undefined when none waits. */
  async claim(owner: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    const { rows } = await sql<Row & { expired: boolean }>`
      with ${candidates(this.schema)},
      next as (
        -- The claimable test is repeated on the locked row itself: a row another replica claimed after this
        -- statement's snapshot was taken is re-checked at its newest version when locked (and skipped),
        -- where the snapshot's candidates would still show it waiting and lease it a second time.
        select q.run_id, q.owner is not null as expired from ${sql.id(this.schema, 'job_queue')} q join candidates c using (run_id)
        where q.owner is null or q.lease_until <= now()
        order by ${fairOrder('c')}
        limit 1 for update of q skip locked
      ),
      claimed as (
        update ${sql.id(this.schema, 'job_queue')} q
        set owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond', claimed_at = now()
        from next where q.run_id = next.run_id
        returning q.run_id, q.kit_id, q.job_id, q.attempt, q.priority, next.expired
      ),
      turn as (
        insert into ${sql.id(this.schema, 'job_queue_turns')} (kit_id, last_claimed_at) select kit_id, clock_timestamp() from claimed
        on conflict (kit_id) do update set last_claimed_at = excluded.last_claimed_at
      )
      select * from claimed`.execute(this.db);
    const row = rows[0];
    return row && { ...toJob(row), takenOver: row.expired };
  }

  /** Extends the leases `owner` still holds; returns the runs it holds (a missing one was taken or ended elsewhere). */
  async renew(owner: string, runIds: readonly string[], leaseMs: number): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const { rows } = await sql<{ run_id: string }>`
      update ${sql.id(this.schema, 'job_queue')} set lease_until = now() + ${leaseMs} * interval '1 millisecond'
      where owner = ${owner} and run_id = any(${runIds}::uuid[]) returning run_id`.execute(this.db);
    return new Set(rows.map((r) => r.run_id));
  }

  /** Gives the leases back (shutdown): the jobs wait again, for this or another replica. */
  async release(owner: string, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await sql`
      update ${sql.id(this.schema, 'job_queue')} set owner = null, lease_until = null, claimed_at = null
      where owner = ${owner} and run_id = any(${runIds}::uuid[])`.execute(this.db);
  }

  /** Takes an attempt's job out of the queue (it ended, or was cancelled while waiting). */
  async remove(runId: string, attempt: number, trx?: Transaction<any>): Promise<void> {
    await sql`delete from ${sql.id(this.schema, 'job_queue')} where run_id = ${runId} and attempt <= ${attempt}`.execute(trx ?? this.db);
  }

  /** Where each of these runs' jobs stands in the fair order (runs not waiting are left out). */
  async positions(runIds: readonly string[]): Promise<Map<string, QueuePosition>> {
    if (runIds.length === 0) return new Map();
    const { rows } = await sql<{ run_id: string; position: string; waiting: string }>`
      with ${candidates(this.schema)},
      ordered as (
        select run_id, row_number() over (order by ${fairOrder('candidates')}) as position, count(*) over () as waiting from candidates
      )
      select run_id, position, waiting from ordered where run_id = any(${runIds}::uuid[])`.execute(this.db);
    return new Map(rows.map((r) => [r.run_id, { position: Number(r.position), waiting: Number(r.waiting) }]));
  }

  /** Jobs waiting and leased, for health and metrics. */
  async depth(): Promise<{ waiting: number; running: number }> {
    const { rows } = await sql<{ waiting: string; running: string }>`
      select count(*) filter (where owner is null or lease_until <= now()) as waiting,
             count(*) filter (where owner is not null and lease_until > now()) as running
      from ${sql.id(this.schema, 'job_queue')}`.execute(this.db);
    return { waiting: Number(rows[0]?.waiting ?? 0), running: Number(rows[0]?.running ?? 0) };
  }
}
