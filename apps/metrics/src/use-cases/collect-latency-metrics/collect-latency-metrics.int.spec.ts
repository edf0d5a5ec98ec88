import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { CommandClient } from '@vista/bus';
import {
  CollectLatencyMetrics,
  type CollectLatencyMetricsV1,
  GetLatencyHistory,
  GetLatencyMetrics,
  GetMetricsHealth,
  MODEL_PREDICTION_DURATION_METRIC,
} from '@vista/contracts';
import { createServiceApp, migrateService } from '@vista/service-host';
import {
  type TestBus,
  type TestDatabase,
  type TestPrometheus,
  createTestBus,
  createTestDatabase,
  createTestIdentity,
  startPrometheus,
  testServers,
  waitFor,
} from '@vista/testing';
import { MetricsModule } from '../../app.module.js';
import { METRICS_SCHEMA, loadMetricsConfig } from '../../config/metrics.config.js';
import { quantileQuery } from '../../domain/latency-query.js';
import { metricsMigrations } from '../../migrations/metrics.migrations.js';
import { LatencyMetricsRepository } from '../../repositories/latency-metrics.repository.js';
import { FAST_MODEL, MEDIUM_MODEL, SLOW_MODEL, startKnownHistogramsTarget } from '../../testing/known-histograms.target.js';

// A real Prometheus, Postgres and NATS on a shared machine: a bound on waiting, not a performance claim.
jest.setTimeout(90_000);

const WINDOW = '10s';

describe('latency collection from a real Prometheus scraping known histograms', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let prometheus: TestPrometheus;
  let target: Awaited<ReturnType<typeof startKnownHistogramsTarget>>;
  let app: INestApplication;
  let client: CommandClient;
  let sql: pg.Pool;

  /** An admin's token (collections need the role) and a plain user's, both verified by the service on every command. */
  let admin = '';
  let user = '';

  beforeAll(async () => {
    const identity = await createTestIdentity();
    admin = identity.header(await identity.token({ roles: ['admin'] })).authorization;
    user = identity.header(await identity.token({ roles: [] })).authorization;
    target = await startKnownHistogramsTarget([FAST_MODEL, MEDIUM_MODEL, SLOW_MODEL]);
    prometheus = await startPrometheus([{ address: target.address, labels: { service: 'ml' } }], { scrapeIntervalSeconds: 1 });
    database = await createTestDatabase('metrics');
    bus = await createTestBus();
    const config = loadMetricsConfig({
      ...identity.env,
      DATABASE_URL: database.url,
      NATS_URL: testServers.natsUrl,
      VISTA_BUS_NAMESPACE: bus.namespace,
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      PROMETHEUS_URL: prometheus.url,
      METRICS_WINDOW: WINDOW,
      // Every 2 seconds, so the scheduled collection is seen within the test.
      METRICS_COLLECT_SCHEDULE: '*/2 * * * * *',
    });
    await migrateService({ name: 'metrics', schema: METRICS_SCHEMA, migrations: metricsMigrations(METRICS_SCHEMA), config });
    app = await createServiceApp({ name: 'metrics', module: MetricsModule.forRoot(config), config, appOptions: { logger: false } });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    client = new CommandClient(bus.namespace, [testServers.natsUrl], 'test-metrics');
    await client.connect();
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    // Enough scrapes for a rate over the window: Prometheus answers the quantile of every model.
    await waitFor(async () => (await prometheusQuantile(0.95, new Date())).length === 3, 'Prometheus to have rates of the three models', 60_000, 500);
  });

  afterAll(async () => {
    await sql?.end();
    await client?.close();
    await app?.close();
    await prometheus?.cleanup();
    await target?.close();
    await bus?.cleanup();
    await database?.drop();
  });

  const call = (authorization = admin) => ({ actor: 'test', correlationId: randomUUID(), authorization });
  const collect = (payload: CollectLatencyMetricsV1 = {}) =>
    waitFor(() => client.execute(CollectLatencyMetrics, payload, call()), 'the metrics command server');
  const health = () => client.execute(GetMetricsHealth, {}, call());

  /** What Prometheus itself computes for a quantile at an instant (seconds, per model id). */
  async function prometheusQuantile(q: number, at: Date): Promise<{ model: string; seconds: number }[]> {
    const params = new URLSearchParams({ query: quantileQuery(MODEL_PREDICTION_DURATION_METRIC, q, WINDOW), time: (at.getTime() / 1000).toFixed(3) });
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?${params}`)).json()) as {
      data: { result: { metric: { model: string }; value: [number, string] }[] };
    };
    return body.data.result.map((r) => ({ model: r.metric.model, seconds: Number(r.value[1]) })).filter((r) => Number.isFinite(r.seconds));
  }

  it('stores each model p95 exactly as Prometheus computes it for the same window and instant', async () => {
    const result = await collect();
    expect(result.status).toBe('succeeded');

    const { rows } = await sql.query<{ model_id: string; p95_ms: number; collected_at: Date }>(
      `select model_id, p95_ms, collected_at from ${METRICS_SCHEMA}.snapshots where collection_id = $1 order by model_id`,
      [result.collectionId],
    );
    const expected = await prometheusQuantile(0.95, new Date(result.at));
    expect(rows.map((r) => r.model_id)).toEqual(['model-fast', 'model-medium', 'model-slow']);
    for (const row of rows) {
      expect(row.collected_at.toISOString()).toBe(result.at);
      expect(row.p95_ms).toBe(expected.find((e) => e.model === row.model_id)!.seconds * 1000);
    }
    // And those are the quantiles the known histograms hold.
    expect(rows.find((r) => r.model_id === 'model-fast')!.p95_ms).toBeCloseTo(37.5, 6);
    expect(rows.find((r) => r.model_id === 'model-medium')!.p95_ms).toBeCloseTo(148.75, 6);
    expect(rows.find((r) => r.model_id === 'model-slow')!.p95_ms).toBeCloseTo(245, 6);
  });

  it('answers every model with p50, p95, p99, its status from the thresholds and when it was collected', async () => {
    await collect();
    const latest = await client.execute(GetLatencyMetrics, {}, call());

    expect(latest.thresholds).toEqual({ warningMs: 100, dangerMs: 200 });
    expect(latest.lastUpdated).toEqual(expect.any(String));
    expect(latest.models.map((m) => [m.modelName, m.status])).toEqual([
      ['fast-model', 'good'],
      ['medium-model', 'warning'],
      ['slow-model', 'danger'],
    ]);
    const slow = latest.models.find((m) => m.modelName === 'slow-model')!;
    expect(slow.p50Ms).toBeCloseTo(200, 6);
    expect(slow.p99Ms).toBeCloseTo(249, 6);
    expect(slow).toMatchObject({ metricName: MODEL_PREDICTION_DURATION_METRIC, window: WINDOW, collectedAt: expect.any(String) });
  });

  it('keeps a history per model and refuses a model it never saw, naming the field', async () => {
    const history = await client.execute(GetLatencyHistory, { hours: 1, modelName: 'fast-model' }, call());
    expect(history.models).toHaveLength(1);
    expect(history.models[0]!.points.length).toBeGreaterThanOrEqual(2);
    expect(history.models[0]!.points.every((p) => Math.abs(p.p95Ms! - 37.5) < 1e-6)).toBe(true);

    await expect(client.execute(GetLatencyHistory, { hours: 1, modelName: 'no-such-model' }, call())).rejects.toMatchObject({
      code: 'invalid',
      issues: [expect.objectContaining({ path: 'modelName' })],
    });
  });

  it('collects on its schedule and reports the minutes since the last collection', async () => {
    await waitFor(async () => {
      const { rows } = await sql.query(`select 1 from ${METRICS_SCHEMA}.collections where trigger = 'schedule' and status = 'succeeded'`);
      return rows.length > 0;
    }, 'a scheduled collection');
    const answer = await health();
    expect(answer).toMatchObject({ status: 'healthy', modelCount: 3, schedule: '*/2 * * * * *', lastAttempt: { status: 'succeeded' } });
    expect(answer.minutesAgo).toBeGreaterThanOrEqual(0);
    expect(answer.minutesAgo).toBeLessThan(1);
  });

  it('collects a scheduled tick once however many replicas fire it', async () => {
    const repository = app.get(LatencyMetricsRepository);
    const tick = new Date('2030-01-01T00:05:00.000Z');
    await expect(Promise.all([repository.claimSlot(tick), repository.claimSlot(new Date(tick))])).resolves.toEqual(expect.arrayContaining([true, false]));
    await expect(repository.claimSlot(new Date('2030-01-01T00:10:00.000Z'))).resolves.toBe(true);
  });

  it('forgets snapshots and collections past the retention, keeping the latest values', async () => {
    const repository = app.get(LatencyMetricsRepository);
    const old = new Date(Date.now() - 800 * 3_600_000);
    await sql.query(
      `insert into ${METRICS_SCHEMA}.collections (collection_id, trigger, status, prometheus_url, metric_name, "window", at, model_count) values ($1, 'manual', 'succeeded', 'http://x', 'm', '5m', $2, 1)`,
      [randomUUID(), old],
    );
    const before = await client.execute(GetLatencyMetrics, {}, call());

    await repository.prune(new Date(Date.now() - 720 * 3_600_000));

    const { rows } = await sql.query(`select 1 from ${METRICS_SCHEMA}.collections where at < now() - interval '720 hours'`);
    expect(rows).toEqual([]);
    await expect(client.execute(GetLatencyMetrics, {}, call())).resolves.toMatchObject({
      models: before.models.map((m) => expect.objectContaining({ modelId: m.modelId })),
    });
  });

  it('with Prometheus down records the failure and its reason, keeps the last good values and says degraded; recovers when it is back', async () => {
    const before = await client.execute(GetLatencyMetrics, {}, call());
    await prometheus.stop();
    try {
      const failed = await collect();
      expect(failed).toMatchObject({ status: 'failed', models: [], reason: expect.stringMatching(/unreachable: ECONNREFUSED/) });

      const { rows } = await sql.query<{ status: string; reason: string }>(
        `select status, reason from ${METRICS_SCHEMA}.collections where collection_id = $1`,
        [failed.collectionId],
      );
      expect(rows).toEqual([{ status: 'failed', reason: failed.reason }]);
      const events = await sql.query<{ type: string; data: { reason: string } }>(`select type, data from ${METRICS_SCHEMA}.events where stream_id = $1`, [
        `latency-collection-${failed.collectionId}`,
      ]);
      expect(events.rows).toEqual([{ type: 'LatencyCollectionFailed', data: expect.objectContaining({ reason: failed.reason }) }]);

      const after = await client.execute(GetLatencyMetrics, {}, call());
      expect(after.models.map((m) => m.p95Ms)).toEqual(before.models.map((m) => m.p95Ms));
      expect(after.models.length).toBe(3);
      const degraded = await client.execute(GetMetricsHealth, { recentFailures: 5 }, call());
      expect(degraded).toMatchObject({ status: 'degraded', modelCount: 3, lastAttempt: { status: 'failed', reason: expect.stringContaining('ECONNREFUSED') } });
      expect(degraded.lastCollection).toEqual(expect.any(String));
      expect(degraded.recentFailures![0]).toEqual({ at: failed.at, reason: failed.reason, prometheusUrl: prometheus.url });
    } finally {
      await prometheus.start();
    }

    const recovered = await waitFor(
      async () => {
        const result = await collect();
        return result.status === 'succeeded' && result.models.length === 3 ? result : undefined;
      },
      'a successful collection after Prometheus is back',
      60_000,
      1_000,
    );
    expect(recovered.models.find((m) => m.modelName === 'slow-model')!.status).toBe('danger');
    await expect(health()).resolves.toMatchObject({ status: 'healthy' });
  });

  it('collects from another Prometheus and metric when the command names them, and refuses a malformed one', async () => {
    const elsewhere = await collect({ prometheusUrl: 'http://127.0.0.1:1', metricName: 'api_response_time_seconds' });
    expect(elsewhere).toMatchObject({ status: 'failed', prometheusUrl: 'http://127.0.0.1:1', metricName: 'api_response_time_seconds' });

    const unknownMetric = await collect({ prometheusUrl: prometheus.url, metricName: 'api_response_time_seconds' });
    expect(unknownMetric).toMatchObject({ status: 'succeeded', models: [] });

    await expect(client.execute(CollectLatencyMetrics, {}, call(user))).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('admin') });
    await expect(client.execute(GetLatencyMetrics, {}, call(user))).resolves.toMatchObject({ models: expect.any(Array) });
    await expect(client.execute(CollectLatencyMetrics, { metricName: 'not a metric{' }, call())).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('metricName'),
    });
  });
});
