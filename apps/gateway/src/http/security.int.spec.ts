import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { type GatewayHarness, startGateway } from '../testing/gateway.harness.js';

const ALLOWED = 'https://vista.example.com';

let gw: GatewayHarness;

beforeAll(async () => {
  gw = await startGateway({
    prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined),
    env: { CORS_ORIGINS: `${ALLOWED},http://localhost:5173`, AUTH_RATE_LIMIT: '2/1m' },
  });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('security headers', () => {
  it.each(['/', '/api/v1/kits', '/health/live', '/docs'])('are on %s', async (path) => {
    const response = await fetch(`${gw.url}${path}`, { headers: await gw.identity.headers() });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('let Swagger UI load under the content security policy (no inline scripts)', async () => {
    const page = await (await fetch(`${gw.url}/docs`)).text();
    expect(page).not.toMatch(/<script>(?!\s*<\/script>)/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${gw.url}/api/v1/kits`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it('allows the configured origins, with the Authorization header', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const get = await fetch(`${gw.url}/api/v1/kits`, { headers: { origin: ALLOWED, ...(await gw.identity.headers()) } });
    expect(get.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('does not allow any other origin', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the login rate limit', () => {
  it('refuses attempts beyond AUTH_RATE_LIMIT with a 429 problem, and leaves other routes alone', async () => {
    const attempt = () => fetch(`${gw.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await attempt()).status).not.toBe(429);
    expect((await attempt()).status).not.toBe(429);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      type: 'https://vista.dev/problems/rate-limited',
      status: 429,
      detail: expect.stringContaining('login attempts'),
    });
    expect((await fetch(`${gw.url}/api/v1/kits`, { headers: await gw.identity.headers() })).status).toBe(200);
  });
});
