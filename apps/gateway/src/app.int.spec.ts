import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
// The gateway reads the tables the projector migrates; testing on its real migrations keeps the two in step.

import { readModelMigrations } from '@vista/read-model';
import { type GatewayHarness, startGateway } from './testing/gateway.harness.js';
import { fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

let gw: GatewayHarness;
const get = (path: string, init?: RequestInit) => fetchApi(`${gw.url}${path}`, init);

beforeAll(async () => {
  gw = await startGateway({
    prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined),
    env: { GATEWAY_RATE_LIMIT: '3/1m' },
  });
  fetchApi = fetchAs(await gw.identity.headers({ roles: ['admin'] }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('operations', () => {
  it('answers liveness, and readiness with Postgres and NATS checked', async () => {
    expect((await get('/health/live')).status).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, nats: { ok: true } } });
  });

  it('serves Prometheus metrics, request durations by route included', async () => {
    await get('/api/v1/kits');
    const body = await (await get('/metrics')).text();
    expect(body).toContain('service="gateway"');
    expect(body).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/api\/v1\/kits"/);
  });

  it('serves the OpenAPI document with problem responses, and Swagger UI', async () => {
    const document = (await (await get('/docs-json')).json()) as any;
    expect(document.openapi).toMatch(/^3\./);
    const state = document.paths['/api/v1/kits/{kitId}/state'].get;
    expect(state.responses['200']).toBeDefined();
    expect(state.responses['304']).toBeDefined();
    expect(state.responses['404'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemResponse');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/admin/dead-letters',
      '/api/v1/admin/dead-letters/{id}/replay',
      '/api/v1/auth/callback',
      '/api/v1/auth/login',
      '/api/v1/auth/login/sso',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/refresh',
      '/api/v1/batches',
      '/api/v1/batches/{attemptId}',
      '/api/v1/decks',
      '/api/v1/decks/{deckId}',
      '/api/v1/decks/{deckId}/archive',
      '/api/v1/decks/{deckId}/download',
      '/api/v1/jobs',
      '/api/v1/jobs/{jobId}',
      '/api/v1/jobs/{jobId}/logs',
      '/api/v1/kits',
      '/api/v1/kits/{kitId}',
      '/api/v1/kits/{kitId}/archive',
      '/api/v1/kits/{kitId}/history',
      '/api/v1/kits/{kitId}/runs',
      '/api/v1/kits/{kitId}/state',
      '/api/v1/lots',
      '/api/v1/lots/csv',
      '/api/v1/lots/results',
      '/api/v1/lots/{rowId}',
      '/api/v1/lots/{rowId}/retire',
      '/api/v1/metrics',
      '/api/v1/metrics/collections',
      '/api/v1/metrics/health',
      '/api/v1/metrics/history',
      '/api/v1/metrics/p95',
      '/api/v1/metrics/resources',
      '/api/v1/metrics/resources/{service}',
      '/api/v1/model-access-requests',
      '/api/v1/model-access-requests/{requestId}/decision',
      '/api/v1/models',
      '/api/v1/models/{modelId}',
      '/api/v1/models/{modelId}/access',
      '/api/v1/models/{modelId}/predict',
      '/api/v1/projects',
      '/api/v1/projects/{projectId}',
      '/api/v1/projects/{projectId}/jobs',
      '/api/v1/projects/{projectId}/kits',
      '/api/v1/role-requests',
      '/api/v1/role-requests/{requestId}/decision',
      '/api/v1/runs',
      '/api/v1/runs/{runId}',
      '/api/v1/runs/{runId}/control',
      '/api/v1/runs/{runId}/details',
      '/api/v1/runs/{runId}/tasks',
      '/api/v1/setup-models',
      '/api/v1/setup-models/{setupModelId}',
      '/api/v1/setup-models/{setupModelId}/access-requests',
      '/api/v1/setup-models/{setupModelId}/access/{userId}',
      '/api/v1/setup-models/{setupModelId}/predict',
      '/api/v1/users',
      '/api/v1/users/{userId}',
      '/api/v1/users/{userId}/roles',
      '/api/v1/users/{userId}/roles/{role}',
    ]);
    // Every state-changing POST documents its Idempotency-Key and the 422 of a reused key.
    for (const path of ['/api/v1/kits/{kitId}/runs', '/api/v1/runs/{runId}/control', '/api/v1/decks', '/api/v1/kits', '/api/v1/projects']) {
      const post = document.paths[path].post;
      expect(post.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false, schema: expect.objectContaining({ maxLength: 200 }) }),
      );
      expect(post.responses['422'].content['application/problem+json']).toBeDefined();
    }
    expect(state.description).toContain('links');
    const { schemas } = document.components;
    expect(schemas.StartKitRunRequest.properties.deckId).toMatchObject({ type: 'string', format: 'uuid' });
    // The run parameters, with the ranges and choices the gateway checks.
    expect(schemas.StartKitRunRequest.properties.params.allOf).toEqual([{ $ref: '#/components/schemas/KitRunParamsV1' }]);
    expect(schemas.KitRunParamsV1.properties.doe.allOf).toEqual([{ $ref: '#/components/schemas/DoeParamsV1' }]);
    expect(schemas.DoeParamsV1.properties.points).toEqual({ type: 'integer', minimum: 2, maximum: 100_000 });
    expect(schemas.DoeParamsV1.properties.design.enum).toContain('latin-hypercube');
    expect(schemas.RunControlRequest.properties.action.enum).toEqual(['stop', 'retry']);
    const ui = await get('/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('serves the dashboard page and its script', async () => {
    const page = await get('/');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script src="/dashboard.js"');
    const script = await get('/dashboard.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('If-None-Match');
  });
});

describe('API requests', () => {
  it('get a fresh correlation id each', async () => {
    const [a, b] = await Promise.all([get('/api/v1/kits/1/state'), get('/api/v1/kits/2/state')]);
    expect(a.headers.get('vista-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('vista-correlation-id')).not.toBe(b.headers.get('vista-correlation-id'));
  });

  it('are limited per address, over the limit with a 429 problem and Retry-After', async () => {
    // Three requests were spent above; the fourth in the window is refused.
    const refused = await get('/api/v1/kits');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: 'https://vista.dev/problems/rate-limited', status: 429, title: 'Too many requests' });
    // Probes, scrapes and the dashboard are not limited.
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/')).status).toBe(200);
  });
});
