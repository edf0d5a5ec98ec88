import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, migrateSchema } from '@vista/db';
import { EventStore, eventStoreMigrations } from '@vista/event-store';
import { type BenchEnvironment, benchMetadata, deckCollectionStarted, deckCollectionStartedRow } from './bench-fixtures.js';
import { processCpuSeconds } from './process-stats.js';

export interface StatementCost {
  readonly label: string;
  /** CPU of the Postgres backend that ran the appends, µs per append (commit included). */
  readonly backendMicros: number;
  /** CPU of this process, µs per append (building, validating, sending, parsing the reply). */
  readonly clientMicros: number;
}

const SCHEMA = 'cost_probe';
const COLUMNS = 'stream_id, stream_version, event_id, type, schema_version, data, metadata';
const PLAIN = `insert into ${SCHEMA}.events (${COLUMNS}) values ($1, $2::int, $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb)`;
// The same optimistic-concurrency guard as EventStore's, without the VALUES subquery.
const GUARDED = `insert into ${SCHEMA}.events (${COLUMNS}) select $1, $2::int, $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb
  where exists (select 1 from ${SCHEMA}.events where stream_id = $1 and stream_version = $8)`;

/**
 * What one single-event append costs, measured on the one backend that runs it (its /proc CPU) and
 * on this process: EventStore.append as it is, beside plain INSERTs and a prepared guarded INSERT.
 * Sequential, one connection each; the variants take turns for `rounds` rounds and the cheapest
 * round of each counts, which keeps other work on the host from blurring the comparison.
 */
export async function probeStatementCosts(env: BenchEnvironment, appendsPerRound: number, rounds: number): Promise<StatementCost[]> {
  const db = createDatabase<any>({ url: env.database.url, poolMax: 1, applicationName: 'bench-cost-probe' });
  try {
    await migrateSchema(db, SCHEMA, eventStoreMigrations(SCHEMA));
    const store = new EventStore(db, SCHEMA);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    const storePid = rows[0]!.pid;
    const stream = { id: `probe-${randomUUID()}`, version: 0 };
    const variants: { label: string; pid: number; append: (i: number) => Promise<void> }[] = [
      {
        label: 'EventStore.append (as today)',
        pid: storePid,
        append: async (i) => {
          const result = await store.append({ streamId: stream.id, expectedVersion: stream.version, events: [deckCollectionStarted(i)] }, benchMetadata());
          stream.version = result.nextExpectedVersion;
        },
      },
    ];

    const client = new pg.Client({ connectionString: env.database.url, application_name: 'bench-cost-probe' });
    await client.connect();
    try {
      const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const raw = (label: string, options: { guarded: boolean; prepared: boolean }) => {
        const streamId = `probe-${randomUUID()}`;
        let version = 0;
        variants.push({
          label,
          pid,
          append: async (i) => {
            const row = deckCollectionStartedRow(i);
            const values: unknown[] = [streamId, version + 1, row.eventId, row.type, row.schemaVersion, row.data, row.metadata];
            // The first event of a stream has nothing to guard on: it goes in as a plain INSERT.
            const guard = options.guarded && version > 0;
            if (guard) values.push(version);
            const text = guard ? GUARDED : PLAIN;
            const name = options.prepared ? (guard ? 'probe-guarded' : 'probe-plain') : undefined;
            const result = await client.query(name ? { name, text, values } : { text, values });
            if (result.rowCount !== 1) throw new Error(`${label}: the append was refused`);
            version++;
          },
        });
      };
      raw('plain INSERT … VALUES (the raw ceiling)', { guarded: false, prepared: false });
      raw('plain INSERT … VALUES, prepared', { guarded: false, prepared: true });
      raw('guarded INSERT … SELECT … WHERE EXISTS, prepared', { guarded: true, prepared: true });
      const best = new Map<string, StatementCost>();
      for (let round = 0; round < rounds; round++) {
        for (const v of variants) {
          const cost = await measure(v.label, v.pid, appendsPerRound, v.append);
          const previous = best.get(v.label);
          best.set(v.label, {
            label: v.label,
            backendMicros: Math.min(cost.backendMicros, previous?.backendMicros ?? Number.POSITIVE_INFINITY),
            clientMicros: Math.min(cost.clientMicros, previous?.clientMicros ?? Number.POSITIVE_INFINITY),
          });
        }
      }
      return [...best.values()];
    } finally {
      await client.end();
    }
  } finally {
    await db.destroy();
  }
}

async function measure(label: string, pid: number, appends: number, append: (i: number) => Promise<void>): Promise<StatementCost> {
  for (let i = 0; i < 20; i++) await append(i);
  const backendBefore = processCpuSeconds(pid);
  const clientBefore = process.cpuUsage();
  for (let i = 0; i < appends; i++) await append(i);
  const client = process.cpuUsage(clientBefore);
  const backendAfter = processCpuSeconds(pid);
  return {
    label,
    backendMicros: backendBefore === undefined || backendAfter === undefined ? Number.NaN : ((backendAfter - backendBefore) * 1e6) / appends,
    clientMicros: (client.user + client.system) / appends,
  };
}
