// The read-model benchmark: `npm run bench:read-models`. In a fresh database it folds generated kit runs
// with the projector's own fold (the templates), copies their rows with SQL up to BENCH_HISTORY_ROWS
// history rows (default 10,000,000; first a tenth of that), ten runs per kit, and at each size prints:
// bytes per state_history row (table + indexes) and the projection to 1e8 rows; then state, history
// and deep kits-list reads over HTTP with 16 connections (p50, p99, req/s) through the gateway and
// through a bare node:http server answering the same SQL, in the same run, and their ratio (each read
// first answered unmeasured by both servers for a few seconds). BENCH_READS=state (comma-separated
// names) measures only those reads. Progress lines go to stderr while it loads.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createDatabase, migrateSchema } from '@vista/db';
import { readModelMigrations, deckCollectionTable, doeStepTable, kitChangedAt, mlStepTable, optimizeStepTable } from '@vista/read-model';
import { createTestBus, createTestDatabase, createTestIdentity } from '@vista/testing';
import { createGatewayApp } from '../../apps/gateway/src/app.factory.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway.config.js';
import { KIT_LISTING } from '../../apps/gateway/src/queries/kit.queries.js';
import { encodeCursor } from '../../apps/gateway/src/queries/listing.js';
import { EventFactory, delivered } from '../../apps/projector/src/domain/testing/event.factory.js';
import { ReadModelRepository } from '../../apps/projector/src/repositories/read-model.repository.js';
import { fmtInt, fmtMs, percentiles } from './measure.js';

const ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 8);
/** Alternating stretches per read and server (SECONDS split between them). */
const ROUNDS = 4;
/** Before a read is first measured, each server answers it this long unmeasured: compiled code, filled pools, warm caches. */
const WARM_UP_MS = 3_000;
const CONNECTIONS = 16;
const RUNS_PER_KIT = 10;
const TEMPLATES = 20;
const CHUNK_ROWS = 500_000;
/** Which reads to measure (comma-separated names, e.g. `state`); all by default. */
const READS = process.env.BENCH_READS?.split(',').map((name) => name.trim());

/** The kits lists' default order (the later of run and definition time), as the gateway sorts by it. */
const KITS_CHANGED_AT = kitChangedAt(sql.id('read'));

const progress = (line: string): void => console.error(`[bench:read-models] ${new Date().toISOString().slice(11, 19)} ${line}`);

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_read_models');
  const db = createDatabase<any>({ url: database.url, poolMax: 4, applicationName: 'bench-read-models' });
  const bus = await createTestBus();
  const servers: { close(): Promise<void> }[] = [];
  try {
    await migrateSchema(db, 'read', readModelMigrations('read'));
    const perRun = await foldTemplates(db);
    const copiesTotal = Math.ceil(ROWS / (perRun * TEMPLATES));
    progress(
      `templates: ${TEMPLATES} runs folded by the projector, ${perRun} history rows per run; ${fmtInt(copiesTotal)} copies to reach ${fmtInt(ROWS)} rows`,
    );

    const identity = await createTestIdentity();
    const config = loadGatewayConfig({
      DATABASE_URL: database.url,
      NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      VISTA_BUS_NAMESPACE: bus.namespace,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      GATEWAY_RATE_LIMIT: '1000000/1s',
      ...identity.env,
    });
    const gateway = await createGatewayApp(config);
    await gateway.listen(0, '127.0.0.1');
    servers.push({ close: () => gateway.close() });
    const gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    const bare = await startBareServer(database.url, KITS_CHANGED_AT.compile(db).sql);
    servers.push(bare);
    const authorization = (await identity.headers({ roles: ['admin'] })).authorization;

    const results: Section[] = [];
    let copied = 0;
    for (const size of [Math.round(ROWS / 10), ROWS]) {
      const copies = Math.ceil(size / (perRun * TEMPLATES));
      await copyRows(db, copied, copies);
      copied = copies;
      // Freshly copied rows: set their hint bits and visibility once, so no read pays for it.
      progress('vacuum analyze');
      await sql`vacuum analyze`.execute(db);
      results.push(await measure(db, size, { gateway: gatewayUrl, bare: bare.url, authorization }));
    }
    print(results);
  } finally {
    for (const server of servers.reverse()) await server.close().catch(() => undefined);
    await db.destroy();
    await bus.cleanup();
    await database.drop();
  }
}

/** Folds TEMPLATES kit runs (two of them failing) with the projector's repository; returns history rows per run. */
async function foldTemplates(db: Kysely<any>): Promise<number> {
  const factory = new EventFactory();
  const envelopes = Array.from({ length: TEMPLATES }, (_, i) =>
    factory.kitRun({ kitId: i + 1, ...(i % 10 === 9 ? { stopAt: { task: 'training', ending: 'FAILED' as const } } : {}) }),
  ).flat();
  await new ReadModelRepository(db, 'read').apply(delivered(envelopes));
  await sql`create table public.tmpl_history as select * from read.state_history`.execute(db);
  for (const table of ['kits', 'runs', 'kit_state', 'deck_collection', 'doe_step', 'ml_step', 'optimize_step']) {
    await sql`create table ${sql.id('public', `tmpl_${table}`)} as select * from ${sql.id('read', table)}`.execute(db);
    await sql`truncate ${sql.id('read', table)}`.execute(db);
  }
  await sql`truncate read.state_history, read.folded_events`.execute(db);
  const { rows } = await sql<{ n: string }>`select count(*) as n from public.tmpl_history`.execute(db);
  return Math.round(Number(rows[0]!.n) / TEMPLATES);
}

/**
 * Copies the templates' rows (copy c is run c % 10 of kit group c / 10: kit = template kit + 20 × group),
 * history for every copy, the other tables for each kit's last run, with fresh ids and later times.
 */
async function copyRows(db: Kysely<any>, from: number, to: number): Promise<void> {
  const { rows: span } = await sql<{ p: string }>`select max(position) + 1 as p from public.tmpl_history`.execute(db);
  const P = Number(span[0]!.p);
  const id = (column: string) => sql`md5(c::text || ${sql.ref(column)}::text)::uuid`;
  const kit = sql`kit_id + ${TEMPLATES} * (c / ${RUNS_PER_KIT})`;
  const at = (column: string) => sql`${sql.ref(column)} + c * interval '1 minute'`;
  const position = sql`position + c::bigint * ${P}`;
  const { rows: template } = await sql<{ n: string }>`select count(*) as n from public.tmpl_history`.execute(db);
  const perChunk = Math.max(1, Math.floor(CHUNK_ROWS / Number(template[0]!.n)));
  const started = Date.now();
  for (let c0 = from; c0 < to; c0 += perChunk) {
    const c1 = Math.min(to, c0 + perChunk);
    await sql`
      insert into read.state_history (kit_id, job_type, task_name, job_id, run_id, attempt, status, current_order, created_at, reason, event_id, position)
      select ${kit}, job_type, task_name, ${id('job_id')}, ${id('run_id')}, attempt, status, current_order, ${at('created_at')}, reason, gen_random_uuid(), ${position}
      from public.tmpl_history, generate_series(${c0}::int, ${c1 - 1}::int) c`.execute(db);
    const { rows } = await sql<{ n: string }>`select pg_total_relation_size('read.state_history') as n`.execute(db);
    progress(
      `history: copies ${fmtInt(c1)} / ${fmtInt(to)}, ${(Number(rows[0]!.n) / 2 ** 30).toFixed(2)} GiB, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  // Each kit's last run: copies c with c % 10 = 9.
  const last = sql`generate_series(${from}::int, ${to - 1}::int) c`;
  const lastRun = sql`c % ${RUNS_PER_KIT} = ${RUNS_PER_KIT - 1}`;
  await sql`insert into read.kits select ${kit}, ${id('last_run_id')}, status, current_task, current_order, runs * ${RUNS_PER_KIT}, created_at, ${at('updated_at')}, ${position}
    from public.tmpl_kits, ${last} where ${lastRun}`.execute(db);
  await sql`insert into read.runs (run_id, kit_id, deck_id, source_path, params, started_at, status, last_control, position)
    select ${id('run_id')}, ${kit}, deck_id, source_path, params, ${at('started_at')}, status, last_control, ${position} from public.tmpl_runs, ${last} where ${lastRun}`.execute(
    db,
  );
  await sql`insert into read.kit_state (kit_id, job_type, task_name, job_id, run_id, attempt, status, current_order, created_at, started_at, finished_at, reason, metadata, position)
    select ${kit}, job_type, task_name, ${id('job_id')}, ${id('run_id')}, attempt, status, current_order, ${at('created_at')}, ${at('started_at')}, ${at('finished_at')}, reason, metadata, ${position}
    from public.tmpl_kit_state, ${last} where ${lastRun}`.execute(db);
  for (const table of [deckCollectionTable, doeStepTable, mlStepTable, optimizeStepTable]) {
    const columns = Object.keys(table.columns);
    const value = (c: string) =>
      c === 'job_id' || c === 'run_id' ? id(c) : c === 'kit_id' ? kit : c === 'position' ? position : c.endsWith('_at') ? at(c) : sql.ref(c);
    await sql`insert into ${sql.id('read', table.name)} (${sql.join(columns.map((c) => sql.id(c)))})
      select ${sql.join(columns.map(value))} from ${sql.id('public', `tmpl_${table.name}`)}, ${last} where ${lastRun}`.execute(db);
  }
  progress(`kits, runs, states and stage rows of ${fmtInt(((to - from) / RUNS_PER_KIT) * TEMPLATES)} more kits copied`);
}

interface Targets {
  readonly gateway: string;
  readonly bare: string;
  readonly authorization: string;
}

interface Reads {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly failed: number;
  /** This process's CPU time per request (server and load generator together; the generator's share is the same for both servers). */
  readonly cpuMsPerRequest: number;
}

interface Section {
  readonly rows: number;
  readonly bytesPerRow: number;
  readonly reads: Record<string, { gateway: Reads; bare: Reads }>;
}

async function measure(db: Kysely<any>, size: number, targets: Targets): Promise<Section> {
  const { rows: sizes } = await sql<{ bytes: string; n: string }>`
    select pg_total_relation_size('read.state_history') as bytes, (select count(*) from read.state_history) as n`.execute(db);
  const rows = Number(sizes[0]!.n);
  const bytesPerRow = Number(sizes[0]!.bytes) / rows;
  progress(`${fmtInt(rows)} history rows: ${bytesPerRow.toFixed(0)} bytes per row`);
  const { rows: kitRows } = await sql<{ kit_id: number }>`select kit_id from read.kits`.execute(db);
  const kits = kitRows.map((r) => r.kit_id);
  // Deep list pages: cursors at kits 80–100% down the list.
  const { rows: deep } = await sql<{ changed_at: Date; kit_id: number }>`
    select ${KITS_CHANGED_AT} as changed_at, kit_id from read.kits order by ${KITS_CHANGED_AT} desc, kit_id desc
    offset (select (count(*) * 0.8)::int from read.kits) limit 200`.execute(db);
  // Cursors as the gateway's kit list gives them (its own encoder); the bare server reads the same ones.
  const cursors = deep.map((r) => encodeCursor(KIT_LISTING, { sort: KIT_LISTING.defaultSort, value: r.changed_at.toISOString(), id: String(r.kit_id) }));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const paths: Record<string, () => string> = {
    state: () => `/api/v1/kits/${pick(kits)}/state`,
    history: () => `/api/v1/kits/${pick(kits)}/history?limit=100`,
    'kits list (deep)': () => `/api/v1/kits?pageSize=50&cursor=${pick(cursors)}`,
  };
  const reads: Section['reads'] = {};
  for (const [name, path] of Object.entries(paths)) {
    if (READS && !READS.includes(name)) continue;
    reads[name] = await compare(name, targets, path);
  }
  return { rows: size === rows ? size : rows, bytesPerRow, reads };
}

/** One stretch of closed-loop load: what it measured, to be added to the other stretches of the same read. */
interface Stretch {
  readonly latencies: number[];
  readonly failed: number;
  readonly seconds: number;
  readonly cpuMs: number;
}

/** Reads whose warm-up is done (the first size warms them for both). */
const warmedUp = new Set<string>();

/**
 * Loads the gateway and the bare server in alternating stretches (ROUNDS of each, SECONDS in all per
 * server), so both meet the same database: the same cache warmth, the same background work (autovacuum
 * after a load, checkpoints), instead of the first one paying for what the second then finds done.
 */
async function compare(name: string, targets: Targets, path: () => string): Promise<{ gateway: Reads; bare: Reads }> {
  const servers = {
    gateway: { base: targets.gateway, headers: { authorization: targets.authorization }, stretches: [] as Stretch[] },
    bare: { base: targets.bare, headers: {}, stretches: [] as Stretch[] },
  };
  const stretchMs = (SECONDS * 1_000) / ROUNDS;
  if (!warmedUp.has(name)) {
    warmedUp.add(name);
    for (const server of Object.values(servers)) await loadStretch(server.base, path, server.headers, WARM_UP_MS);
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Which goes first alternates too, so neither always follows the other.
    for (const server of round % 2 === 0 ? [servers.gateway, servers.bare] : [servers.bare, servers.gateway]) {
      server.stretches.push(await loadStretch(server.base, path, server.headers, stretchMs));
    }
  }
  return {
    gateway: summarise(`${name} via gateway`, servers.gateway.stretches),
    bare: summarise(`${name} via bare node:http`, servers.bare.stretches),
  };
}

/** Closed loop over CONNECTIONS keep-alive connections for `ms` (after a short warm-up). */
async function loadStretch(base: string, path: () => string, headers: Record<string, string>, ms: number): Promise<Stretch> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(`${base}${url}`, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  const until = async (ms: number, record: (latency: number, status: number) => void) => {
    const deadline = Date.now() + ms;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < deadline) {
          const t0 = performance.now();
          const status = await get(path());
          record(performance.now() - t0, status);
        }
      }),
    );
  };
  await until(500, () => undefined);
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await until(ms, (latency, status) => {
    latencies.push(latency);
    if (status !== 200) failed++;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { latencies, failed, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function summarise(label: string, stretches: readonly Stretch[]): Reads {
  const latencies = stretches.flatMap((s) => s.latencies);
  const seconds = stretches.reduce((sum, s) => sum + s.seconds, 0);
  const failed = stretches.reduce((sum, s) => sum + s.failed, 0);
  const cpuMsPerRequest = stretches.reduce((sum, s) => sum + s.cpuMs, 0) / Math.max(1, latencies.length);
  const p = percentiles(latencies);
  progress(
    `${label}: ${fmtInt(latencies.length / seconds)} req/s, p50 ${fmtMs(p.p50)} ms, p99 ${fmtMs(p.p99)} ms, CPU ${cpuMsPerRequest.toFixed(2)} ms/request${failed ? `, ${failed} not 200` : ''}`,
  );
  return { p50: p.p50, p99: p.p99, perSecond: latencies.length / seconds, failed, cpuMsPerRequest };
}

/**
 * The floor: node:http and pg, nothing else, answering the same SQL the gateway runs for each read
 * (the state's statements in one read-only repeatable-read transaction) with JSON.stringify of the rows.
 */
async function startBareServer(url: string, kitsChangedAt: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const stageColumns = (table: { columns: Record<string, string> }) =>
    Object.keys(table.columns)
      .filter((c) => !['metadata', 'result', 'summary', 'data_info'].includes(c))
      .map((c) => `"${c}"`)
      .concat('summary as result')
      .join(', ');
  const stages = [deckCollectionTable, doeStepTable, mlStepTable, optimizeStepTable].map(
    (t) => `select ${stageColumns(t)} from read.${t.name} where run_id = $1 order by position`,
  );
  const answer = async (path: string): Promise<[number, unknown]> => {
    const u = new URL(path, 'http://x');
    const parts = u.pathname.split('/');
    if (parts[4] === undefined) {
      // The gateway's cursor: [list, sort, value, id].
      const [, , at, kitId] = JSON.parse(Buffer.from(u.searchParams.get('cursor') ?? '', 'base64url').toString()) as [string, string, string, string];
      // The page (keyset on the default order, archived kits left out) and the list's size: estimated from the table's
      // statistics, counted while the estimate is below 10,000.
      const total = async () => {
        const { rows } = await pool.query(`select reltuples::bigint as estimate from pg_class where oid = 'read.kits'::regclass`);
        if (Number(rows[0].estimate) >= 10_000) return Number(rows[0].estimate);
        const counted = await pool.query(`select count(*) as total from read.kits where not coalesce((definition ->> 'archived')::boolean, false)`);
        return Number(counted.rows[0].total);
      };
      const [{ rows }] = await Promise.all([
        pool.query(
          `select *, (${kitsChangedAt})::text as __sort, kit_id::text as __id from read.kits
           where not coalesce((definition ->> 'archived')::boolean, false) and (${kitsChangedAt}, kit_id) < (cast($1 as timestamptz), cast($2 as integer))
           order by ${kitsChangedAt} desc, kit_id desc limit $3`,
          [at, kitId, Number(u.searchParams.get('pageSize') ?? 50) + 1],
        ),
        total(),
      ]);
      return [200, { items: rows }];
    }
    const kitId = Number(parts[4]);
    if (parts[5] === 'history') {
      const { rows } = await pool.query('select * from read.state_history where kit_id = $1 and position > $2 order by position, event_id limit $3', [
        kitId,
        0,
        100,
      ]);
      return [200, { items: rows }];
    }
    const client = await pool.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      const kit = (await client.query('select * from read.kits where kit_id = $1', [kitId])).rows[0];
      if (!kit) return [404, { status: 404 }];
      const tasks = (await client.query('select max(position) as position from read.kit_state where kit_id = $1 and run_id = $2', [kitId, kit.last_run_id]))
        .rows[0];
      const run = (await client.query('select * from read.runs where run_id = $1', [kit.last_run_id])).rows[0];
      const rows = [];
      for (const statement of stages) rows.push((await client.query(statement, [kit.last_run_id])).rows);
      const projector = (await client.query(`select * from read.projector_status where projector = 'projector'`)).rows[0];
      await client.query('commit');
      return [200, { kit, tasks, run, stages: rows, projector }];
    } finally {
      client.release();
    }
  };
  const server = http.createServer((req, res) => {
    answer(req.url ?? '/').then(
      ([status, body]) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      },
      (error: Error) => {
        res.writeHead(500).end(error.message);
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

function print(sections: readonly Section[]): void {
  const lines: string[] = ['', 'read models — bench:read-models', ''];
  for (const s of sections) {
    lines.push(
      `${fmtInt(s.rows)} history rows: ${s.bytesPerRow.toFixed(0)} bytes per row (target ≤ 250) → ${((s.bytesPerRow * 1e8) / 1e9).toFixed(1)} GB per 1e8 rows`,
    );
    lines.push('  read               | gateway p50 / p99 ms, req/s, CPU ms/req | bare node:http p50 / p99 ms, req/s, CPU ms/req | gateway / bare (req/s; CPU)');
    for (const [name, { gateway, bare }] of Object.entries(s.reads)) {
      const cell = (r: Reads) =>
        `${fmtMs(r.p50).padStart(6)} / ${fmtMs(r.p99).padStart(6)}, ${fmtInt(r.perSecond).padStart(6)}, ${r.cpuMsPerRequest.toFixed(2).padStart(5)}`;
      lines.push(
        `  ${name.padEnd(18)} | ${cell(gateway)}             | ${cell(bare)}                        | ${
          gateway.failed + bare.failed > 0
            ? `no ratio: ${gateway.failed} gateway and ${bare.failed} bare answers not 200`
            : `${(gateway.perSecond / bare.perSecond).toFixed(2)}; ${(bare.cpuMsPerRequest / gateway.cpuMsPerRequest).toFixed(2)}`
        }`,
      );
    }
    lines.push('');
  }
  const [small, large] = sections;
  if (small && large) {
    lines.push(`${fmtInt(small.rows)} → ${fmtInt(large.rows)} rows: bytes per row ×${(large.bytesPerRow / small.bytesPerRow).toFixed(2)}`);
    for (const name of Object.keys(large.reads)) {
      lines.push(
        `  ${name}: gateway req/s ×${(large.reads[name]!.gateway.perSecond / small.reads[name]!.gateway.perSecond).toFixed(2)}, p99 ×${(large.reads[name]!.gateway.p99 / small.reads[name]!.gateway.p99).toFixed(2)}`,
      );
    }
  }
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
