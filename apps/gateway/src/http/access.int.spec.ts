import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { Subscription } from '@nats-io/transport-node';
import {
  AddLotRows,
  CollectLatencyMetrics,
  ForbiddenError,
  GetLatencyHistory,
  GetLatencyMetrics,
  GetLotBatch,
  GetLotResults,
  GetLotRow,
  GetMetricsHealth,
  GetResourceSeries,
  ImportLotRowsCsv,
  ListLotBatches,
  ListLotRows,
  ListResourceMetrics,
  PIPELINE_ROLES,
  RetireLotRow,
  ROLES,
  type Role,
  RunLotBatch,
  UpdateLotRow,
} from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { AccessGuard, AccessTokenVerifier, ROUTE_POLICY, type RoutePolicy } from '@vista/identity';
import { readModelMigrations } from '@vista/read-model';
import { createTestIdentity } from '@vista/testing';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

/**
 * Every route the gateway serves and who may call it. Whoever adds a route adds its row here: a
 * route missing from this table, or without a declared policy, fails this test.
 *   public        anyone, with or without a token
 *   authenticated any valid access token (object-level checks come on top)
 *   Role[]        a valid token holding at least one of these roles
 */
type Policy = 'public' | 'authenticated' | readonly Role[];

const KIT = 7;
const ID = randomUUID();

interface Row {
  readonly policy: Policy;
  /** A concrete path to call (ids filled in). */
  readonly example: string;
  /** Listed in the OpenAPI document (false: health, metrics, dashboard, docs). */
  readonly documented?: false;
}

const ROUTES: Readonly<Record<string, Row>> = {
  'GET /api/v1/kits': { policy: 'authenticated', example: '/api/v1/kits' },
  'GET /api/v1/kits/{kitId}/state': { policy: 'authenticated', example: `/api/v1/kits/${KIT}/state` },
  'GET /api/v1/kits/{kitId}/history': { policy: 'authenticated', example: `/api/v1/kits/${KIT}/history` },
  'POST /api/v1/kits/{kitId}/runs': { policy: PIPELINE_ROLES.operate, example: `/api/v1/kits/${KIT}/runs` },
  'GET /api/v1/runs/{runId}': { policy: 'authenticated', example: `/api/v1/runs/${ID}` },
  'GET /api/v1/runs/{runId}/tasks': { policy: 'authenticated', example: `/api/v1/runs/${ID}/tasks` },
  'GET /api/v1/runs/{runId}/details': { policy: 'authenticated', example: `/api/v1/runs/${ID}/details` },
  'POST /api/v1/runs/{runId}/control': { policy: PIPELINE_ROLES.operate, example: `/api/v1/runs/${ID}/control` },
  'GET /api/v1/jobs/{jobId}': { policy: 'authenticated', example: `/api/v1/jobs/${ID}` },
  'GET /api/v1/jobs/{jobId}/logs': { policy: 'authenticated', example: `/api/v1/jobs/${ID}/logs` },
  'GET /api/v1/models': { policy: 'authenticated', example: '/api/v1/models' },
  'GET /api/v1/models/{modelId}': { policy: 'authenticated', example: `/api/v1/models/${ID}` },
  'POST /api/v1/models/{modelId}/predict': { policy: PIPELINE_ROLES.predict, example: `/api/v1/models/${ID}/predict` },
  'POST /api/v1/decks': { policy: PIPELINE_ROLES.operate, example: '/api/v1/decks' },
  'GET /api/v1/decks/{deckId}': { policy: 'authenticated', example: `/api/v1/decks/${ID}` },
  'GET /api/v1/decks': { policy: 'authenticated', example: '/api/v1/decks' },
  'PATCH /api/v1/decks/{deckId}': { policy: PIPELINE_ROLES.operate, example: `/api/v1/decks/${ID}` },
  'POST /api/v1/decks/{deckId}/archive': { policy: PIPELINE_ROLES.operate, example: `/api/v1/decks/${ID}/archive` },
  'GET /api/v1/decks/{deckId}/download': { policy: 'authenticated', example: `/api/v1/decks/${ID}/download` },
  'POST /api/v1/kits': { policy: PIPELINE_ROLES.operate, example: '/api/v1/kits' },
  'GET /api/v1/kits/{kitId}': { policy: 'authenticated', example: `/api/v1/kits/${KIT}` },
  'PATCH /api/v1/kits/{kitId}': { policy: PIPELINE_ROLES.operate, example: `/api/v1/kits/${KIT}` },
  'POST /api/v1/kits/{kitId}/archive': { policy: PIPELINE_ROLES.operate, example: `/api/v1/kits/${KIT}/archive` },
  'GET /api/v1/kits/{kitId}/runs': { policy: 'authenticated', example: `/api/v1/kits/${KIT}/runs` },
  'GET /api/v1/jobs': { policy: 'authenticated', example: '/api/v1/jobs' },
  'GET /api/v1/runs': { policy: 'authenticated', example: '/api/v1/runs' },
  'POST /api/v1/projects': { policy: PIPELINE_ROLES.operate, example: '/api/v1/projects' },
  'GET /api/v1/projects': { policy: 'authenticated', example: '/api/v1/projects' },
  'GET /api/v1/projects/{projectId}': { policy: 'authenticated', example: `/api/v1/projects/${ID}` },
  'GET /api/v1/projects/{projectId}/kits': { policy: 'authenticated', example: `/api/v1/projects/${ID}/kits` },
  'GET /api/v1/projects/{projectId}/jobs': { policy: 'authenticated', example: `/api/v1/projects/${ID}/jobs` },
  'GET /api/v1/metrics': { policy: 'authenticated', example: '/api/v1/metrics' },
  'GET /api/v1/metrics/p95': { policy: 'authenticated', example: '/api/v1/metrics/p95' },
  'GET /api/v1/metrics/history': { policy: 'authenticated', example: '/api/v1/metrics/history?hours=1' },
  'GET /api/v1/metrics/health': { policy: 'authenticated', example: '/api/v1/metrics/health' },
  'POST /api/v1/metrics/collections': { policy: ['admin'], example: '/api/v1/metrics/collections' },
  'GET /api/v1/metrics/resources': { policy: 'authenticated', example: '/api/v1/metrics/resources' },
  'GET /api/v1/metrics/resources/{service}': { policy: 'authenticated', example: '/api/v1/metrics/resources/ml' },
  // Identity (apps/auth answers; the auth service checks again who may see or decide what).
  'POST /api/v1/auth/login': { policy: 'public', example: '/api/v1/auth/login' },
  'GET /api/v1/auth/login/sso': { policy: 'public', example: '/api/v1/auth/login/sso' },
  'GET /api/v1/auth/callback': { policy: 'public', example: '/api/v1/auth/callback' },
  'POST /api/v1/auth/refresh': { policy: 'public', example: '/api/v1/auth/refresh' },
  'POST /api/v1/auth/logout': { policy: 'public', example: '/api/v1/auth/logout' },
  'GET /api/v1/auth/me': { policy: 'authenticated', example: '/api/v1/auth/me' },
  'POST /api/v1/users': { policy: ['admin'], example: '/api/v1/users' },
  'GET /api/v1/users': { policy: ['admin'], example: '/api/v1/users' },
  'GET /api/v1/users/{userId}': { policy: 'authenticated', example: `/api/v1/users/${ID}` },
  'PUT /api/v1/users/{userId}': { policy: 'authenticated', example: `/api/v1/users/${ID}` },
  'DELETE /api/v1/users/{userId}': { policy: ['admin'], example: `/api/v1/users/${ID}` },
  'GET /api/v1/users/{userId}/roles': { policy: 'authenticated', example: `/api/v1/users/${ID}/roles` },
  'DELETE /api/v1/users/{userId}/roles/{role}': { policy: ['admin'], example: `/api/v1/users/${ID}/roles/logic.general` },
  'POST /api/v1/role-requests': { policy: 'authenticated', example: '/api/v1/role-requests' },
  'GET /api/v1/role-requests': { policy: 'authenticated', example: '/api/v1/role-requests' },
  'POST /api/v1/role-requests/{requestId}/decision': { policy: ['admin'], example: `/api/v1/role-requests/${ID}/decision` },
  'POST /api/v1/setup-models': { policy: ['logic.model-setup', 'admin'], example: '/api/v1/setup-models' },
  'GET /api/v1/setup-models': { policy: 'authenticated', example: '/api/v1/setup-models' },
  'GET /api/v1/setup-models/{setupModelId}': { policy: 'authenticated', example: `/api/v1/setup-models/${ID}` },
  'POST /api/v1/setup-models/{setupModelId}/access-requests': { policy: 'authenticated', example: `/api/v1/setup-models/${ID}/access-requests` },
  'DELETE /api/v1/setup-models/{setupModelId}/access/{userId}': { policy: 'authenticated', example: `/api/v1/setup-models/${ID}/access/${ID}` },
  'POST /api/v1/setup-models/{setupModelId}/predict': { policy: 'authenticated', example: `/api/v1/setup-models/${ID}/predict` },
  'GET /api/v1/model-access-requests': { policy: 'authenticated', example: '/api/v1/model-access-requests' },
  'POST /api/v1/model-access-requests/{requestId}/decision': { policy: 'authenticated', example: `/api/v1/model-access-requests/${ID}/decision` },
  'GET /api/v1/models/{modelId}/access': { policy: 'authenticated', example: `/api/v1/models/${ID}/access` },
  'GET /api/v1/admin/dead-letters': { policy: ['admin'], example: '/api/v1/admin/dead-letters' },
  'POST /api/v1/admin/dead-letters/{id}/replay': { policy: ['admin'], example: `/api/v1/admin/dead-letters/${ID}/replay` },
  // Lot tracking (apps/lot-tracking answers, and checks access to each row's set-up model again).
  'POST /api/v1/lots': { policy: PIPELINE_ROLES.operate, example: '/api/v1/lots' },
  'POST /api/v1/lots/csv': { policy: PIPELINE_ROLES.operate, example: '/api/v1/lots/csv' },
  'GET /api/v1/lots': { policy: 'authenticated', example: '/api/v1/lots' },
  'GET /api/v1/lots/results': { policy: 'authenticated', example: '/api/v1/lots/results?date=2026-12-03' },
  'GET /api/v1/lots/{rowId}': { policy: 'authenticated', example: `/api/v1/lots/${ID}` },
  'PATCH /api/v1/lots/{rowId}': { policy: PIPELINE_ROLES.operate, example: `/api/v1/lots/${ID}` },
  'POST /api/v1/lots/{rowId}/retire': { policy: PIPELINE_ROLES.operate, example: `/api/v1/lots/${ID}/retire` },
  'GET /api/v1/batches': { policy: 'authenticated', example: '/api/v1/batches' },
  'POST /api/v1/batches': { policy: ['admin'], example: '/api/v1/batches' },
  'GET /api/v1/batches/{attemptId}': { policy: 'authenticated', example: `/api/v1/batches/${ID}` },
  // Outside the API document.
  'GET /health/live': { policy: 'public', example: '/health/live', documented: false },
  'GET /health/ready': { policy: 'public', example: '/health/ready', documented: false },
  'GET /metrics': { policy: 'public', example: '/metrics', documented: false },
  'GET /': { policy: 'public', example: '/', documented: false },
  'GET /dashboard.js': { policy: 'public', example: '/dashboard.js', documented: false },
  'GET /dashboard.css': { policy: 'public', example: '/dashboard.css', documented: false },
  'GET /model-metrics': { policy: 'public', example: '/model-metrics', documented: false },
  'GET /model-metrics.js': { policy: 'public', example: '/model-metrics.js', documented: false },
  'GET /model-metrics.css': { policy: 'public', example: '/model-metrics.css', documented: false },
  'GET /vendor/chart.umd.min.js': { policy: 'public', example: '/vendor/chart.umd.min.js', documented: false },
  'GET /lots': { policy: 'public', example: '/lots', documented: false },
  'GET /lots.js': { policy: 'public', example: '/lots.js', documented: false },
  'GET /lots.css': { policy: 'public', example: '/lots.css', documented: false },
};

const policyOf = (policy: RoutePolicy | undefined): Policy | undefined =>
  policy === undefined ? undefined : policy.kind === 'roles' ? [...policy.roles] : policy.kind;

const allows = (policy: Policy, roles: readonly Role[] | undefined): boolean =>
  policy === 'public' || (roles !== undefined && (policy === 'authenticated' || policy.some((role) => roles.includes(role))));

/** Every route Nest registered, from the controllers' own metadata (what the router serves). */
function registeredRoutes(app: INestApplication): Map<string, RoutePolicy | undefined> {
  const reflector = app.get(Reflector);
  const routes = new Map<string, RoutePolicy | undefined>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'][Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`.replace(/:(\w+)/g, '{$1}');
        routes.set(`${method} ${full}`, reflector.getAllAndOverride<RoutePolicy>(ROUTE_POLICY, [handler as () => void, controller]));
      }
    }
  }
  return routes;
}

let gw: GatewayHarness;
const call = (key: string, headers: Record<string, string> = {}) => {
  const [method] = key.split(' ');
  const body = method === 'GET' ? undefined : '{}';
  return fetch(`${gw.url}${ROUTES[key]!.example}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
  });
};
const asUser = async (roles: readonly Role[]) => gw.identity.headers({ roles });

const standIns: Subscription[] = [];

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  // The metrics routes ask the metrics service: a stand-in answers them, so these rows test access control only.
  for (const command of [GetLatencyMetrics, GetLatencyHistory, GetMetricsHealth, CollectLatencyMetrics, ListResourceMetrics, GetResourceSeries]) {
    standIns.push((await respondTo(gw.bus, command, () => ({ err: { code: 'not-found', message: 'stand-in metrics service' } }))).subscription);
  }
  // And the lot routes ask the lot-tracking service.
  for (const command of [
    AddLotRows,
    ImportLotRowsCsv,
    ListLotRows,
    GetLotRow,
    UpdateLotRow,
    RetireLotRow,
    GetLotResults,
    ListLotBatches,
    RunLotBatch,
    GetLotBatch,
  ]) {
    standIns.push((await respondTo(gw.bus, command, () => ({ err: { code: 'not-found', message: 'stand-in lot-tracking service' } }))).subscription);
  }
  // A stand-in auth service: whoever gets past access control gets an answer (the real one checks the caller again).
  gw.bus.nc.subscribe(gw.bus.names.commandSubject('cmd.auth.>'), {
    callback: (_error, msg) => {
      const packet = msg.json<{ id: string }>();
      msg.respond(JSON.stringify({ id: packet.id, response: { authorizationUrl: `${gw.url}/health/live` }, isDisposed: true }));
    },
  });
  await gw.bus.nc.flush();
}, 60_000);

afterAll(async () => {
  for (const subscription of standIns) subscription.unsubscribe();
  await gw?.close();
});

describe('the route table', () => {
  it('has a row for every route in the OpenAPI document, and every row of the document is in it', async () => {
    const document = (await (await fetch(`${gw.url}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.filter((route) => !(route in ROUTES))).toEqual([]);
    const expected = Object.entries(ROUTES)
      .filter(([, row]) => row.documented !== false)
      .map(([route]) => route);
    expect(expected.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('matches the policy every registered route declares, and no route lacks one', () => {
    const registered = registeredRoutes(gw.app);
    const declared = Object.fromEntries([...registered].map(([route, policy]) => [route, policyOf(policy) ?? 'NO POLICY']));
    const table = Object.fromEntries(Object.entries(ROUTES).map(([route, row]) => [route, row.policy]));
    expect(declared).toEqual(table);
  });

  it('documents the bearer scheme and 401/403 on every API operation', async () => {
    const document = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes?: Record<string, unknown> };
    };
    expect(document.components.securitySchemes).toHaveProperty('bearer');
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });
});

describe('who may call each route', () => {
  const protectedRoutes = Object.entries(ROUTES).filter(([, row]) => row.policy !== 'public');

  it.each(protectedRoutes)('%s: 401 without a token, with a Bearer challenge', async (route) => {
    const response = await call(route);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ type: 'https://vista.dev/problems/unauthenticated', status: 401 });
  });

  it.each(Object.entries(ROUTES))('%s: exactly the allowed callers get past access control', async (route, row) => {
    const callers: [string, readonly Role[] | undefined][] = [['anonymous', undefined], ['no role', []], ...ROLES.map((r): [string, Role[]] => [r, [r]])];
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [label, roles] of callers) {
      const response = await call(route, roles === undefined ? {} : await asUser(roles));
      expect(response.status).toBeLessThan(500);
      outcome[label] = response.status === 401 ? 'unauthenticated' : response.status === 403 ? 'forbidden' : 'allowed';
      expected[label] = allows(row.policy, roles) ? 'allowed' : roles === undefined ? 'unauthenticated' : 'forbidden';
    }
    expect(outcome).toEqual(expected);
  });

  it('names the role a refused caller lacks', async () => {
    const response = await call('POST /api/v1/models/{modelId}/predict', await asUser(['logic.model-setup']));
    expect(response.status).toBe(403);
    const problem = (await response.json()) as { type: string; detail: string };
    expect(problem.type).toBe('https://vista.dev/problems/forbidden');
    for (const role of PIPELINE_ROLES.predict) expect(problem.detail).toContain(role);
  });
});

describe('tokens the gateway refuses', () => {
  const route = 'GET /api/v1/kits';
  const refused = async (headers: Record<string, string>, detail: RegExp) => {
    const response = await call(route, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer .*invalid_token/);
    expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
  };

  it('refuses an expired token, one signed by another key, a tampered one and another scheme', async () => {
    await refused(gw.identity.header(await gw.identity.token({ expiresInSeconds: -120 })), /expired/);
    const stranger = await createTestIdentity();
    await refused(stranger.header(await stranger.token({ roles: ['admin'] })), /known key|signature/);
    const [head, , signature] = (await gw.identity.token()).split('.');
    const body = Buffer.from(JSON.stringify({ sub: 'x', roles: ['admin'], iss: gw.identity.issuer, aud: 'vista-api', exp: 9e9, iat: 1 })).toString('base64url');
    await refused({ authorization: `Bearer ${head}.${body}.${signature}` }, /signature/);
    await refused({ authorization: 'Basic YWRtaW46YWRtaW4=' }, /Bearer/);
  });

  it('lets a public route through with a stale token', async () => {
    const response = await call('GET /health/live', gw.identity.header(await gw.identity.token({ expiresInSeconds: -120 })));
    expect(response.status).toBe(200);
  });
});

describe('a route without a policy', () => {
  it('is refused by the guard', async () => {
    class Undeclared {
      handler() {}
    }
    const guard = new AccessGuard(new Reflector(), AccessTokenVerifier.fromEnvironment(gw.identity.env));
    const context = {
      getType: () => 'http',
      getHandler: () => Undeclared.prototype.handler,
      getClass: () => Undeclared,
      switchToHttp: () => ({ getRequest: () => ({ method: 'GET', originalUrl: '/api/v1/undeclared', headers: { authorization: 'Bearer not-read' } }) }),
    };
    await expect(guard.canActivate(context as never)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
