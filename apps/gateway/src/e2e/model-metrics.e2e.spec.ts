import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { MODEL_PREDICTION_DURATION_METRIC } from '@vista/contracts';
import { createArtifact, fitScaler, trainModel } from '@vista/modeling';
import {
  type Platform,
  type TestDatabase,
  type TestPrometheus,
  createTestDatabase,
  freePort,
  metricSum,
  startPlatform,
  startPrometheus,
  uniqueNamespace,
  waitFor,
} from '@vista/testing';

// Real processes, Prometheus and a browser on a shared machine: a bound on waiting, not a performance claim.
jest.setTimeout(120_000);

const FAST = { modelId: randomUUID(), kitId: 9101, algorithm: 'ridge' };
// A forest of 300 deep trees answering 10,000 rows takes about half a second: danger (≥ 200 ms) on any machine
// (100 trees took 150–250 ms here, on either side of the threshold).
const SLOW = { modelId: randomUUID(), kitId: 9102, algorithm: 'random-forest' };
const nameOf = (m: { kitId: number; algorithm: string }) => `kit-${m.kitId}-v1-${m.algorithm}`;

/** A trained artifact over three factors, as the ml pipeline stores it. */
function artifactOf(algorithm: 'ridge' | 'random-forest'): string {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const row = [((i * 7) % 97) / 10, ((i * 13) % 89) / 10, ((i * 3) % 83) / 10];
    X.push(row);
    y.push(row[0]! ** 2 + Math.sin(row[1]!) * 3 + row[2]!);
  }
  const hyperparameters = algorithm === 'random-forest' ? { nEstimators: 300, maxDepth: 20, minNodeSize: 1, maxSamples: 400 } : {};
  const model = trainModel(X, y, { algorithm, hyperparameters });
  return JSON.stringify(createArtifact({ factors: ['a', 'b', 'c'], response: 'y', scaler: fitScaler(X, 'none'), model, X }));
}

describe('model latency metrics through the gateway, from a real Prometheus scraping the platform', () => {
  let db: TestDatabase;
  let prometheus: TestPrometheus;
  let platform: Platform;
  let sql: pg.Pool;
  let token: string;
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const get = (p: string) => fetch(api(p), { headers: auth() });
  const post = (p: string, body: unknown) =>
    fetch(api(p), { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase('e2e');
    // Prometheus first, so the metrics service knows its address; the targets follow once the services have ports.
    prometheus = await startPrometheus([], { scrapeIntervalSeconds: 1 });
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace: uniqueNamespace(),
      services: ['ml', 'metrics', 'gateway'],
      serviceEnv: { metrics: { PROMETHEUS_URL: prometheus.url, METRICS_COLLECT_SCHEDULE: '*/2 * * * * *', METRICS_WINDOW: '1m' } },
    });
    await prometheus.setTargets([...platform.services.values()].map((s) => ({ address: `127.0.0.1:${s.port}`, labels: { service: s.name } })));
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    // An admin may predict, read the metrics and start a collection.
    token = await platform.identity.token({ roles: ['admin'] });
    for (const m of [FAST, SLOW]) {
      await sql.query(
        `insert into ml.models (model_id, kit_id, model_version, run_id, job_id, attempt, algorithm, metrics, lineage, artifact, digest)
         values ($1, $2, 1, $3, $4, 1, $5, '{}', '{}', $6::jsonb, 'test')`,
        [m.modelId, m.kitId, randomUUID(), randomUUID(), m.algorithm, artifactOf(m.algorithm as 'ridge' | 'random-forest')],
      );
    }
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await prometheus?.cleanup();
    await db?.drop();
  });

  const predict = async (modelId: string, rows: number[][]) => {
    const response = await post(`/models/${modelId}/predict`, { rows });
    expect(response.status).toBe(200);
  };

  it('shows a fast model good and a slow model danger once their predictions are collected', async () => {
    // A model's series appears with its first prediction, and a rate counts only what grows after Prometheus first
    // scraped it: one prediction each, then the measured ones once Prometheus holds both series.
    await predict(FAST.modelId, [[1, 2, 3]]);
    await predict(SLOW.modelId, [[1, 2, 3]]);
    await waitFor(
      async () => {
        const query = encodeURIComponent(`count(${MODEL_PREDICTION_DURATION_METRIC}_count)`);
        const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${query}`)).json()) as { data: { result: { value: [number, string] }[] } };
        return Number(body.data.result[0]?.value[1] ?? 0) >= 2 || undefined;
      },
      "Prometheus to hold both models' series",
      60_000,
      250,
    );
    const manyRows = Array.from({ length: 10_000 }, (_, i) => [i % 9, i % 8, i % 7]);
    for (let i = 0; i < 20; i++) await predict(FAST.modelId, [[1, 2, 3]]);
    for (let i = 0; i < 4; i++) await predict(SLOW.modelId, manyRows);

    // ml exports the histogram Prometheus scrapes.
    const exported = await (await fetch(`${platform.services.get('ml')!.url}/metrics`)).text();
    expect(metricSum(exported, `${MODEL_PREDICTION_DURATION_METRIC}_count`, { model: SLOW.modelId, model_name: nameOf(SLOW) })).toBe(5);
    expect(metricSum(exported, `${MODEL_PREDICTION_DURATION_METRIC}_count`, { model: FAST.modelId, model_name: nameOf(FAST) })).toBe(21);

    const answer = await waitFor(
      async () => {
        const body = (await (await get('/metrics/p95')).json()) as { data: { model: string; p95_latency_ms: number | null; status: string }[] };
        return body.data.length === 2 && body.data.every((m) => m.status !== null) ? body : undefined;
      },
      'both models in a collection',
      60_000,
      500,
    );
    const byName = Object.fromEntries(answer.data.map((m) => [m.model, m]));
    expect(byName[nameOf(FAST)]).toMatchObject({ status: 'good', collected_at: expect.any(String) });
    expect(byName[nameOf(SLOW)]).toMatchObject({ status: 'danger' });
    expect(byName[nameOf(FAST)]!.p95_latency_ms!).toBeLessThan(100);
    expect(byName[nameOf(SLOW)]!.p95_latency_ms!).toBeGreaterThanOrEqual(200);
    expect(answer).toMatchObject({
      status: 'success',
      count: 2,
      last_updated: expect.any(String),
      collection_status: 'healthy',
      thresholds: { warning_ms: 100, danger_ms: 200 },
    });
    // Figures for the report.
    process.stdout.write(
      `model-metrics e2e: p95 fast ${byName[nameOf(FAST)]!.p95_latency_ms!.toFixed(2)} ms, slow ${byName[nameOf(SLOW)]!.p95_latency_ms!.toFixed(2)} ms\n`,
    );

    const all = (await (await get('/metrics')).json()) as { data: Record<string, unknown>[] };
    expect(all.data.find((m) => m.model === nameOf(SLOW))).toMatchObject({
      model_id: SLOW.modelId,
      p50_latency_ms: expect.any(Number),
      p99_latency_ms: expect.any(Number),
      metric_name: MODEL_PREDICTION_DURATION_METRIC,
      time_range: '1m',
      status: 'danger',
    });
  });

  it('answers health, history and resources in the seed shapes, each saying when its data was collected', async () => {
    const health = (await (await get('/metrics/health')).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: 'healthy', model_count: 2, last_collection: expect.any(String), schedule: '*/2 * * * * *' });
    expect(health.minutes_ago).toBeGreaterThanOrEqual(0);

    const history = (await (await get(`/metrics/history?hours=1&model_name=${nameOf(SLOW)}`)).json()) as Record<string, any>;
    expect(history).toMatchObject({ status: 'success', count: 1, time_range: { hours: 1, start: expect.any(String), end: expect.any(String) } });
    expect(history.data[0]).toMatchObject({
      model: nameOf(SLOW),
      data_points: expect.arrayContaining([expect.objectContaining({ timestamp: expect.any(String) })]),
    });

    const resources = (await (await get('/metrics/resources')).json()) as Record<string, any>;
    expect(resources.services).toEqual(expect.arrayContaining(['gateway', 'metrics', 'ml']));
    const series = await waitFor(async () => {
      const body = (await (await get('/metrics/resources/ml?minutes=5&step=5')).json()) as {
        data: { cpu_cores: number | null; memory_bytes: number | null }[];
      };
      return body.data.some((p) => p.memory_bytes !== null && p.memory_bytes > 0 && p.cpu_cores !== null) ? body : undefined;
    }, 'CPU and memory points of ml');
    expect(series).toMatchObject({ status: 'success', service: 'ml', step: 5, collected_at: expect.any(String) });
  });

  it.each([
    ['/metrics/history?hours=-1', 'hours'],
    ['/metrics/history?hours=100000', 'hours'],
    ['/metrics/history?hours=1&model_name=no-such-model', 'model_name'],
    ['/metrics/resources/ml?minutes=5&step=abc', 'step'],
    ['/metrics/resources/ml?minutes=0', 'minutes'],
  ])('refuses %s with a 400 problem naming %s', async (path, parameter) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { errors?: { path: string }[] };
    expect(problem.errors?.map((e) => e.path)).toContain(parameter);
  });

  it('answers 404 for a service Prometheus has no series of', async () => {
    expect((await get('/metrics/resources/no-such-service')).status).toBe(404);
  });

  it('collects on demand, from the configured Prometheus or another, and says why one failed', async () => {
    const now = (await post('/metrics/collections', {}).then((r) => r.json())) as Record<string, any>;
    expect(now).toMatchObject({ status: 'success', count: 2, collected_at: expect.any(String), prometheus_url: prometheus.url, time_range: '1m' });

    // A port nothing listens on: Prometheus "down".
    const elsewhere = await post('/metrics/collections', { prometheus_url: `http://127.0.0.1:${await freePort()}` });
    expect(elsewhere.status).toBe(503);
    expect(((await elsewhere.json()) as { detail: string }).detail).toMatch(/unreachable: ECONNREFUSED/);
    const health = (await (await get('/metrics/health')).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: 'degraded', model_count: 2, last_attempt: { status: 'failed', reason: expect.stringContaining('ECONNREFUSED') } });

    const malformed = await post('/metrics/collections', { metric_name: 'not a metric' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('metric_name');
  });

  describe('the model-metrics page in a browser', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("shows each model's status colour and draws the history chart, refreshing in place", async () => {
      const page = await browser.newPage();
      await page.addInitScript(`sessionStorage.setItem('vista.accessToken', ${JSON.stringify(token)})`);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${platform.gatewayUrl}/model-metrics?refresh=1`);

      const fast = page.locator(`tr[data-model="${nameOf(FAST)}"] .status`);
      const slow = page.locator(`tr[data-model="${nameOf(SLOW)}"] .status`);
      await fast.waitFor();
      expect(await fast.getAttribute('data-status')).toBe('good');
      expect(await slow.getAttribute('data-status')).toBe('danger');
      // The colours users see. (Browser-side code is given as text: this project compiles without DOM types.)
      const background = (model: string) => page.evaluate(`getComputedStyle(document.querySelector('tr[data-model="${model}"] .status')).backgroundColor`);
      expect(await background(nameOf(FAST))).toBe('rgb(31, 136, 61)');
      expect(await background(nameOf(SLOW))).toBe('rgb(207, 34, 46)');

      // The chart holds a p95 series per model, and a later refresh updates the same chart (no reload).
      // Predicates are functions (the page's CSP forbids evaluating strings); `globalThis` is the page's window.
      await page.waitForFunction(() => {
        const chart = (globalThis as any).vistaMetricsCharts?.history;
        return chart && chart.data.datasets.length === 2 && chart.data.datasets.every((d: { data: unknown[] }) => d.data.length > 0);
      });
      const pointsNow = () => (globalThis as any).vistaMetricsCharts.history.data.datasets[0].data.length as number;
      const before = await page.evaluate(pointsNow);
      await page.waitForFunction((n) => (globalThis as any).vistaMetricsCharts.history.data.datasets[0].data.length > n, before, { timeout: 30_000 });
      const drawn = await page.evaluate(() => {
        const page = globalThis as any;
        const canvas = page.document.getElementById('history-chart');
        return canvas.width > 0 && canvas.height > 0 && page.Chart.getChart(canvas) === page.vistaMetricsCharts.history;
      });
      expect(drawn).toBe(true);
      await page.locator('#resources .resource[data-service="ml"] canvas').waitFor();
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
