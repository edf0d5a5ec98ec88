// The event pipeline benchmark: `npm run bench:events`. Measures the raw ceilings of this machine's
// Postgres and JetStream, then Vista's append path, relay and projector against them, in a database
// and bus namespace of its own. Prints a table with the targets and writes dist/bench/events.json.
// A missed target is a finding, not a failure: the process exits 0 unless something crashed.
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type AppendRate, type AppendRates, measureAppendRates } from './append-rate.phase.js';
import { type BenchEnvironment, createBenchEnvironment, eventRowBytes } from './bench-fixtures.js';
import { type BenchSettings, readBenchSettings } from './bench-settings.js';
import { type EndToEndResults, measureEndToEnd } from './end-to-end.phase.js';
import { type Rate, fmtInt, fmtMs } from './measure.js';
import { type RawCeilings, measureRawCeilings } from './raw-ceilings.phase.js';
import { type ReportSection, renderReport, verdict, writeJson } from './report.js';
import { TARGETS } from './targets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUTPUT = join(ROOT, 'dist', 'bench', 'events.json');

async function main(): Promise<void> {
  const settings = readBenchSettings(process.env);
  const started = new Date();
  console.log(`Vista event pipeline benchmark — ${os.cpus().length} cores, node ${process.version}`);
  const env = await createBenchEnvironment();
  console.log(`database ${env.database.name}, bus namespace ${env.names.namespace} (both removed at the end)`);
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await env.cleanup().catch((error) => console.error(`cleanup failed: ${(error as Error).message}`));
  };
  process.once('SIGINT', () => {
    console.error('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  });
  try {
    const versions = await serverVersions(env);
    console.log(`Postgres ${versions.postgres}, NATS ${versions.nats}\n`);

    console.log('(a) raw ceilings');
    const raw = await measureRawCeilings(env, {
      durationMs: settings.phaseMs,
      publishWindow: settings.publishWindow,
      multiRowBatch: settings.multiRowBatch,
      concurrency: settings.concurrency,
    });
    console.log('(b) single-event appends');
    const append = await measureAppendRates(env, { durationMs: settings.phaseMs, concurrency: settings.concurrency });
    const e2e = await measureEndToEnd(env, settings, append);

    const results = assemble(started, settings, versions, raw, append, e2e);
    console.log(`\n${renderReport(results.header, results.sections)}`);
    await writeJson(OUTPUT, results.json);
    console.log(`\nresults written to ${OUTPUT}`);
  } finally {
    await cleanup();
  }
}

async function serverVersions(env: BenchEnvironment): Promise<{ postgres: string; nats: string }> {
  const client = new pg.Client({ connectionString: env.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return { postgres: rows[0]!.v, nats: env.nc.info?.version ?? 'unknown' };
  } finally {
    await client.end();
  }
}

const perSec = (n: number, unit: string) => `${fmtInt(n)} ${unit}/s`;
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const fmtRatio = (r: number) => (Number.isFinite(r) ? r.toFixed(2) : '—');
const cpu = (r: Rate) =>
  r.cpuMicrosPerItem === undefined
    ? ''
    : `CPU µs/item: client ${fmtInt(r.cpuMicrosPerItem)}, postgres ${r.postgresCpuMicrosPerItem === undefined ? '—' : fmtInt(r.postgresCpuMicrosPerItem)}`;
const lat = (r: AppendRate) => `p50 ${fmtMs(r.latencies.p50)} / p99 ${fmtMs(r.latencies.p99)} ms; ${cpu(r)}`;

function assemble(
  started: Date,
  settings: BenchSettings,
  versions: { postgres: string; nats: string },
  raw: RawCeilings,
  append: AppendRates,
  e2e: EndToEndResults,
) {
  const n = settings.concurrency;
  const pipelineCeiling = Math.min(raw.jetStream.perSecond, raw.pgMultiRow.perSecond);
  const ceilingName = raw.jetStream.perSecond <= raw.pgMultiRow.perSecond ? 'JetStream publish' : 'Postgres multi-row INSERT';
  const ratios = {
    vistaVsRawSequential: ratio(append.vistaSequential.perSecond, raw.pgRowPerTxSequential.perSecond),
    vistaVsRawConcurrent: ratio(append.vistaConcurrent.perSecond, raw.pgRowPerTx16.perSecond),
    vistaVsEmmettSequential: ratio(append.vistaSequential.perSecond, append.emmettSequential.perSecond),
    vistaVsEmmettConcurrent: ratio(append.vistaConcurrent.perSecond, append.emmettConcurrent.perSecond),
    endToEndSingleVsCeiling: ratio(e2e.single.endToEnd.perSecond, pipelineCeiling),
    endToEndBatchedVsCeiling: ratio(e2e.batched.endToEnd.perSecond, pipelineCeiling),
    endToEndBacklogVsCeiling: ratio(e2e.backlog.endToEnd.perSecond, pipelineCeiling),
    endToEndSingleVsRowPerTx16: ratio(e2e.single.endToEnd.perSecond, raw.pgRowPerTx16.perSecond),
  };
  const sections: ReportSection[] = [
    {
      title: '(a) raw ceilings of this machine',
      rows: [
        {
          label: `JetStream async publish (window ${raw.settings.publishWindow})`,
          figure: perSec(raw.jetStream.perSecond, 'msg'),
          detail: `CPU µs/msg: client ${fmtInt(raw.jetStream.cpuMicrosPerItem ?? Number.NaN)}`,
        },
        { label: 'JetStream publish with Nats-Msg-Id', figure: perSec(raw.jetStreamWithMsgId.perSecond, 'msg'), detail: 'dedup on, as the relay publishes' },
        {
          label: `Postgres multi-row INSERT (${raw.settings.multiRowBatch}/stmt)`,
          figure: perSec(raw.pgMultiRow.perSecond, 'row'),
          detail: `1 client; ${cpu(raw.pgMultiRow)}`,
        },
        { label: 'Postgres 1 row per tx, 1 client', figure: perSec(raw.pgRowPerTxSequential.perSecond, 'row'), detail: cpu(raw.pgRowPerTxSequential) },
        { label: `Postgres 1 row per tx, ${n} clients`, figure: perSec(raw.pgRowPerTx16.perSecond, 'row'), detail: cpu(raw.pgRowPerTx16) },
        {
          label: `Postgres 1 row per tx, ${n} clients, prepared`,
          figure: perSec(raw.pgRowPerTx16Prepared.perSecond, 'row'),
          detail: `named statement (planned once per connection); ${cpu(raw.pgRowPerTx16Prepared)}`,
        },
      ],
      notes: [
        `JetStream: ${raw.settings.payloadBytes}-byte bodies into a stream with the events stream's config, one noAsyncTraces connection`,
        `Postgres: rows of ${eventRowBytes()} bytes (data + metadata) into a copy of the events table (same columns, keys and indexes);`,
        '1 row per tx = one autocommit INSERT … VALUES per row, sent as node-postgres sends any parameterised query (unnamed: parsed and planned each time)',
      ],
    },
    {
      title: '(b) single-event appends (each writer on its own stream, expected version tracked)',
      rows: [
        { label: 'Vista EventStore.append, 1 writer', figure: perSec(append.vistaSequential.perSecond, 'ev'), detail: lat(append.vistaSequential) },
        { label: `Vista EventStore.append, ${n} writers`, figure: perSec(append.vistaConcurrent.perSecond, 'ev'), detail: lat(append.vistaConcurrent) },
        { label: 'Emmett appendToStream, 1 writer', figure: perSec(append.emmettSequential.perSecond, 'ev'), detail: lat(append.emmettSequential) },
        { label: `Emmett appendToStream, ${n} writers`, figure: perSec(append.emmettConcurrent.perSecond, 'ev'), detail: lat(append.emmettConcurrent) },
        {
          id: 'vistaVsRawRowPerTxSequential',
          label: 'Vista / raw 1 row per tx, 1 writer',
          figure: fmtRatio(ratios.vistaVsRawSequential),
          value: ratios.vistaVsRawSequential,
          target: TARGETS.vistaVsRawRowPerTx,
        },
        {
          id: 'vistaVsRawRowPerTxConcurrent',
          label: `Vista / raw 1 row per tx, ${n} writers`,
          figure: fmtRatio(ratios.vistaVsRawConcurrent),
          value: ratios.vistaVsRawConcurrent,
          target: TARGETS.vistaVsRawRowPerTx,
        },
        { label: 'Vista / Emmett, 1 writer', figure: fmtRatio(ratios.vistaVsEmmettSequential) },
        { label: `Vista / Emmett, ${n} writers`, figure: fmtRatio(ratios.vistaVsEmmettConcurrent) },
      ],
      notes: [`pools of ${n} connections for both stores; Vista validates each payload against its contract before the INSERT`],
    },
    {
      title: '(b) where an append’s CPU goes: one connection, sequential, CPU of its own Postgres backend and of this process',
      rows: append.statementCosts.map((c) => ({
        label: c.label,
        figure: `${fmtInt(c.backendMicros)} µs`,
        detail: `Postgres backend per append (commit included); client ${fmtInt(c.clientMicros)} µs`,
      })),
      notes: [
        'the cheapest of 3 interleaved rounds of 1,000 appends each (/proc ticks are 10 ms); unnamed statements are parsed and planned by Postgres on every',
        'execution, prepared ones once per connection; the last row is the guard EventStore needs, as a prepared statement',
      ],
    },
    ...e2e.sections(pipelineCeiling, ceilingName, raw.pgRowPerTx16.perSecond),
  ];
  const header = [
    `Vista event pipeline benchmark — ${started.toISOString()}`,
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}, Postgres ${versions.postgres}, NATS ${versions.nats}`,
  ];
  const checks = sections.flatMap((s) =>
    s.rows.filter((r) => r.target).map((r) => ({ id: r.id, figure: r.label.trim(), value: r.value, target: r.target, result: verdict(r.value, r.target) })),
  );
  const json = {
    startedAt: started.toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, postgres: versions.postgres, nats: versions.nats },
    settings,
    raw,
    append,
    endToEnd: e2e.json,
    ratios: { ...ratios, pipelineCeiling: { name: ceilingName, perSecond: pipelineCeiling } },
    checks,
  };
  return { header, sections, json };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('the benchmark crashed:', error);
    process.exit(1);
  },
);
