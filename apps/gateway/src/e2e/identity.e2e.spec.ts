import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { decodeJwt } from 'jose';
import { type Browser, type Page, chromium } from 'playwright-core';
import { createDatabase } from '@vista/db';
import {
  type Platform,
  type RunningSsoProvider,
  SsoLoginRefused,
  type TestDatabase,
  createTestDatabase,
  ssoAuthorize,
  ssoLogin,
  startPlatform,
  startSsoProvider,
  uniqueNamespace,
  waitFor,
} from '@vista/testing';
import { ReadModelFactory, insertRows } from '../testing/read-model.factory.js';

/**
 * Seed 000 REQ-001..REQ-004, every test case, through the gateway with real logins: SSO at a real
 * OpenID Connect provider (its login form, PKCE code flow) and the bootstrapped local admin.
 */

// Real processes, a real OIDC provider and a browser on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(60_000);

interface Tokens {
  accessToken: string;
  refreshToken: string;
  user: { userId: string; username: string; roles: string[] };
}

const ADMIN = { user: 'root', password: 'root-password-e2e' };

describe('identity and permissions through the gateway (auth, projector, gateway processes; real OIDC provider)', () => {
  let db: TestDatabase;
  let sso: RunningSsoProvider;
  let platform: Platform;
  const registryModelId = randomUUID();
  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const as = (tokens: Tokens | string | undefined, method: string, p: string, body?: unknown) =>
    fetch(api(p), {
      method,
      headers: {
        ...(tokens ? { authorization: `Bearer ${typeof tokens === 'string' ? tokens : tokens.accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T = Record<string, any>>(response: Response, status: number): Promise<T> => {
    const body = (await response.json()) as T;
    expect({ status: response.status, body }).toMatchObject({ status });
    return body;
  };
  const login = (username: string) => ssoLogin<Tokens>(platform.gatewayUrl, { username, password: `${username}-password` });

  let root: Tokens;
  let alice: Tokens;
  let bob: Tokens;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_identity');
    sso = await startSsoProvider({
      port: 0,
      clientId: 'vista',
      clientSecret: 'e2e-secret',
      redirectUris: ['http://127.0.0.1/api/v1/auth/callback'],
      anyLoopbackPort: true,
    });
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace: uniqueNamespace(),
      services: ['auth', 'projector', 'gateway'],
      serviceEnv: {
        // Many logins from one address in one minute: the login rate limit is tested elsewhere.
        gateway: { AUTH_RATE_LIMIT: '1000/1m' },
        auth: {
          VISTA_ADMIN_USER: ADMIN.user,
          VISTA_ADMIN_PASSWORD: ADMIN.password,
          SSO_ISSUER: sso.issuer,
          SSO_CLIENT_SECRET: 'e2e-secret',
          AUTH_SSO_ADMINS: 'admin',
        },
      },
    });
    // A model in the registry, as the projector shows it.
    const kysely = createDatabase({ url: db.url });
    await insertRows(kysely, 'models', [ReadModelFactory.model({ model_id: registryModelId, kit_id: 3, run_id: randomUUID(), position: 1 })]);
    await kysely.destroy();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await sso?.close();
    await db?.drop();
  }, 60_000);

  describe('REQ-001: an SSO-logged-in user can reach the role request page', () => {
    it('TC-001 valid SSO login: the role request page answers', async () => {
      alice = await login('alice');
      expect(alice.user).toMatchObject({ username: 'alice', roles: [] });
      expect(decodeJwt(alice.accessToken)).toMatchObject({ sub: alice.user.userId, aud: 'vista-api', roles: [] });
      expect(await json(await as(alice, 'GET', '/auth/me'), 200)).toMatchObject({ username: 'alice', name: 'Alice', pendingRequests: [] });
      expect(await json(await as(alice, 'GET', '/role-requests'), 200)).toEqual([]);
    });

    it('TC-002 invalid SSO credentials: the provider refuses, no token, the page refuses', async () => {
      const start = await fetch(api('/auth/login/sso'), { redirect: 'manual' });
      expect(start.status).toBe(302);
      const authorizationUrl = start.headers.get('location')!;
      expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
      await expect(ssoAuthorize(authorizationUrl, { username: 'alice', password: 'wrong' }, api('/auth/callback'))).rejects.toBeInstanceOf(SsoLoginRefused);
      expect((await as(undefined, 'GET', '/role-requests')).status).toBe(401);
      // A forged callback gets nothing either.
      expect(await json(await fetch(api('/auth/callback?code=forged&state=forged'), { headers: { accept: 'application/json' } }), 401)).toMatchObject({
        type: 'https://vista.dev/problems/unauthenticated',
      });
    });

    it('TC-003 expired session: an expired token and an ended session are refused', async () => {
      const expired = await platform.identity.token({ sub: alice.user.userId, roles: [], expiresInSeconds: -60 });
      expect((await as(expired, 'GET', '/role-requests')).status).toBe(401);
      const other = await login('alice');
      expect(
        (
          await fetch(api('/auth/logout'), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refreshToken: other.refreshToken }),
          })
        ).status,
      ).toBe(204);
      const refreshed = await fetch(api('/auth/refresh'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: other.refreshToken }),
      });
      expect(await json(refreshed, 401)).toMatchObject({ detail: expect.stringContaining('ended') });
    });

    it('TC-004 no SSO login: the role request page refuses', async () => {
      expect((await as(undefined, 'GET', '/role-requests')).status).toBe(401);
      expect((await as(undefined, 'POST', '/role-requests', { role: 'logic.general', reason: 'x' })).status).toBe(401);
      expect((await as(undefined, 'GET', '/auth/me')).status).toBe(401);
    });

    it('TC-005 after the SSO login the browser is sent on to the dashboard, logged in', async () => {
      const start = await fetch(api('/auth/login/sso'), { redirect: 'manual' });
      const callback = await ssoAuthorize(start.headers.get('location')!, { username: 'alice', password: 'alice-password' }, api('/auth/callback'));
      const landing = await fetch(callback, { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(landing.status).toBe(302);
      const location = landing.headers.get('location')!;
      expect(location).toMatch(/^\/#login=/);
      const tokens = JSON.parse(Buffer.from(location.slice('/#login='.length), 'base64url').toString()) as Tokens;
      expect((await as(tokens.accessToken, 'GET', '/role-requests')).status).toBe(200);
    });
  });

  describe('REQ-002: a user requests logic general, logic model-setup and dram general roles', () => {
    const requests: Record<string, string> = {};

    it('TC-001..003 each role request succeeds, pending', async () => {
      for (const role of ['logic.general', 'logic.model-setup', 'dram.general']) {
        const request = await json(await as(alice, 'POST', '/role-requests', { role, reason: `need ${role}` }), 201);
        expect(request).toMatchObject({ role, status: 'pending', userId: alice.user.userId, reason: `need ${role}` });
        requests[role] = request.requestId;
      }
      expect((await json<Record<string, any>[]>(await as(alice, 'GET', '/role-requests?status=pending'), 200)).map((r) => r.role).sort()).toEqual([
        'dram.general',
        'logic.general',
        'logic.model-setup',
      ]);
    });

    it('TC-004 an unknown role is an error naming the field', async () => {
      const problem = await json(await as(alice, 'POST', '/role-requests', { role: 'logic.superuser', reason: 'x' }), 400);
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'role' })]));
    });

    it('TC-005 submitting without a role (or reason) is an error naming the fields', async () => {
      const problem = await json(await as(alice, 'POST', '/role-requests', {}), 400);
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['reason', 'role']));
      expect(problem.type).toBe('https://vista.dev/problems/invalid');
    });

    it('the local admin approves and rejects with a reason; the user sees the outcome and the next token carries the roles', async () => {
      root = await json<Tokens>(await as(undefined, 'POST', '/auth/login', { username: ADMIN.user, password: ADMIN.password }), 200);
      expect(root.user.roles).toEqual(['admin']);
      expect((await as(undefined, 'POST', '/auth/login', { username: ADMIN.user, password: 'nope' })).status).toBe(401);
      // Only an admin decides.
      expect((await as(alice, 'POST', `/role-requests/${requests['logic.general']}/decision`, { decision: 'approved', reason: 'me' })).status).toBe(403);
      for (const role of ['logic.general', 'logic.model-setup']) {
        expect(
          await json(await as(root, 'POST', `/role-requests/${requests[role]}/decision`, { decision: 'approved', reason: 'team lead ok' }), 200),
        ).toMatchObject({
          status: 'approved',
        });
      }
      const rejected = await json(
        await as(root, 'POST', `/role-requests/${requests['dram.general']}/decision`, { decision: 'rejected', reason: 'not on dram' }),
        200,
      );
      expect(rejected).toMatchObject({ status: 'rejected', decision: { by: root.user.userId, reason: 'not on dram' } });
      expect((await as(root, 'POST', `/role-requests/${requests['dram.general']}/decision`, { decision: 'approved', reason: 'x' })).status).toBe(409);
      const mine = await json<Record<string, any>[]>(await as(alice, 'GET', '/role-requests'), 200);
      expect(Object.fromEntries(mine.map((r) => [r.role, r.status]))).toEqual({
        'logic.general': 'approved',
        'logic.model-setup': 'approved',
        'dram.general': 'rejected',
      });
      const held = await json(await as(alice, 'POST', '/role-requests', { role: 'logic.general', reason: 'again' }), 409);
      expect(held.detail).toContain('already held');
      alice = await json<Tokens>(await as(undefined, 'POST', '/auth/refresh', { refreshToken: alice.refreshToken }), 200);
      expect(decodeJwt(alice.accessToken).roles).toEqual(['logic.general', 'logic.model-setup']);
    });
  });

  describe('REQ-003: a model-setup user copies a registered model to set it up', () => {
    let copyId: string;

    it('TC-001 copying a registered model succeeds', async () => {
      const copy = await json(await as(alice, 'POST', '/setup-models', { sourceModelId: registryModelId }), 201);
      expect(copy).toMatchObject({ registryModelId, sourceModelId: registryModelId, ownerId: alice.user.userId, lineage: [registryModelId], canUse: true });
      expect(copy.name).toContain('kit 3');
    });

    it('TC-002 copying a model that does not exist is an error', async () => {
      const problem = await json(await as(alice, 'POST', '/setup-models', { sourceModelId: randomUUID() }), 404);
      expect(problem.detail).toContain('does not exist');
      expect((await as(alice, 'POST', '/setup-models', { sourceModelId: 'not-a-uuid' })).status).toBe(400);
    });

    it('TC-003 copying with a changed name, description and attributes succeeds', async () => {
      const copy = await json(
        await as(alice, 'POST', '/setup-models', {
          sourceModelId: registryModelId,
          name: 'Line 3 yield',
          description: 'tuned for line 3',
          attributes: { line: 3 },
        }),
        201,
      );
      expect(copy).toMatchObject({ name: 'Line 3 yield', description: 'tuned for line 3', attributes: { line: 3 } });
      copyId = copy.setupModelId;
    });

    it('TC-004 copying without the permission is refused', async () => {
      bob = await login('bob');
      expect(await json(await as(bob, 'POST', '/setup-models', { sourceModelId: registryModelId }), 403)).toMatchObject({
        detail: expect.stringContaining('logic.model-setup'),
      });
      // A model-setup user may not copy a set-up model they have no access to.
      const carolId = (await login('carol')).user.userId;
      const request = await json(
        await as(await platform.identity.token({ sub: carolId }), 'POST', '/role-requests', { role: 'logic.model-setup', reason: 'x' }),
        201,
      );
      await json(await as(root, 'POST', `/role-requests/${request.requestId}/decision`, { decision: 'approved', reason: 'ok' }), 200);
      const carol = await login('carol');
      expect(await json(await as(carol, 'POST', '/setup-models', { sourceModelId: copyId }), 403)).toMatchObject({
        detail: expect.stringContaining('no access'),
      });
    });

    it('TC-005 the copy is there afterwards, with its lineage back to the original', async () => {
      const copy = await json(await as(bob, 'GET', `/setup-models/${copyId}`), 200);
      expect(copy).toMatchObject({ setupModelId: copyId, registryModelId, lineage: [registryModelId], canUse: false });
      const list = await json<Record<string, any>[]>(await as(alice, 'GET', '/setup-models?usableOnly=true'), 200);
      expect(list.map((m) => m.setupModelId)).toContain(copyId);
      const copyOfCopy = await json(await as(alice, 'POST', '/setup-models', { sourceModelId: copyId, name: 'second' }), 201);
      expect(copyOfCopy.lineage).toEqual([copyId, registryModelId]);
    });

    describe('REQ-004: a general user requests access to a set-up model', () => {
      const times: Record<string, string> = {};
      let firstRequest: string;

      it('TC-002 a request missing the reason is refused, naming it', async () => {
        const problem = await json(await as(bob, 'POST', `/setup-models/${copyId}/access-requests`, {}), 400);
        expect(new Set(problem.errors.map((e: { path: string }) => e.path))).toEqual(new Set(['reason']));
      });

      it('TC-001 and TC-003 the request succeeds and waits for approval; prediction is refused meanwhile', async () => {
        const request = await json(await as(bob, 'POST', `/setup-models/${copyId}/access-requests`, { reason: 'predict line 3 yield' }), 201);
        expect(request).toMatchObject({ status: 'pending', setupModelId: copyId, userId: bob.user.userId });
        firstRequest = request.requestId;
        const mine = await json<Record<string, any>[]>(await as(bob, 'GET', '/model-access-requests'), 200);
        expect(mine).toEqual([expect.objectContaining({ requestId: firstRequest, status: 'pending' })]);
        expect((await as(bob, 'POST', `/setup-models/${copyId}/predict`, { rows: [[1, 2]] })).status).toBe(403);
        // The requester cannot approve their own request.
        expect((await as(bob, 'POST', `/model-access-requests/${firstRequest}/decision`, { decision: 'approved', reason: 'me' })).status).toBe(403);
      });

      it('TC-004 a rejected request shows as rejected, with the reason', async () => {
        const dave = await login('dave');
        const request = await json(await as(dave, 'POST', `/setup-models/${copyId}/access-requests`, { reason: 'curious' }), 201);
        await json(await as(alice, 'POST', `/model-access-requests/${request.requestId}/decision`, { decision: 'rejected', reason: 'not your line' }), 200);
        const mine = await json<Record<string, any>[]>(await as(dave, 'GET', '/model-access-requests'), 200);
        expect(mine).toEqual([
          expect.objectContaining({ status: 'rejected', decision: expect.objectContaining({ reason: 'not your line', by: alice.user.userId }) }),
        ]);
      });

      it('TC-005 asking again for a model already granted says so', async () => {
        await json(await as(alice, 'POST', `/model-access-requests/${firstRequest}/decision`, { decision: 'approved', reason: 'ok' }), 200);
        times.granted = new Date().toISOString();
        const again = await json(await as(bob, 'POST', `/setup-models/${copyId}/access-requests`, { reason: 'again' }), 200);
        expect(again).toMatchObject({ status: 'already-granted' });
        expect((await json(await as(bob, 'GET', `/setup-models/${copyId}`), 200)).canUse).toBe(true);
      });

      it('answers who could use the model as of any time: grant, revoke, re-grant', async () => {
        expect((await as(alice, 'DELETE', `/setup-models/${copyId}/access/${bob.user.userId}`, { reason: 'project over' })).status).toBe(200);
        times.revoked = new Date().toISOString();
        const second = await json(await as(bob, 'POST', `/setup-models/${copyId}/access-requests`, { reason: 'new project' }), 201);
        await json(await as(root, 'POST', `/model-access-requests/${second.requestId}/decision`, { decision: 'approved', reason: 'admin ok' }), 200);
        times.regranted = new Date().toISOString();
        const at = async (asOf: string) => json(await as(alice, 'GET', `/models/${copyId}/access?asOf=${encodeURIComponent(asOf)}`), 200);
        const bobAt = async (asOf: string) => ((await at(asOf)).users as Record<string, any>[]).find((u) => u.userId === bob.user.userId);
        expect(await bobAt(times.granted!)).toMatchObject({ as: 'granted', requestId: firstRequest, grantedBy: alice.user.userId });
        expect(await bobAt(times.revoked!)).toBeUndefined();
        expect(await bobAt(times.regranted!)).toMatchObject({ requestId: second.requestId, grantedBy: root.user.userId });
        expect((await at('2000-01-01T00:00:00Z')).users).toEqual([]);
        // Someone else's model's access list is not bob's business; a bad instant is a 400.
        expect((await as(bob, 'GET', `/models/${copyId}/access`)).status).toBe(404);
        expect((await as(alice, 'GET', `/models/${copyId}/access?asOf=yesterday`)).status).toBe(400);
        const roles = await json(await as(alice, 'GET', `/users/${alice.user.userId}/roles?asOf=${encodeURIComponent(times.granted!)}`), 200);
        expect(roles.roles.map((r: { role: string }) => r.role)).toEqual(['logic.general', 'logic.model-setup']);
        expect(roles.roles[0]).toMatchObject({ grantedBy: root.user.userId, requestId: expect.any(String) });
        expect((await json(await as(alice, 'GET', `/users/${alice.user.userId}/roles?asOf=2000-01-01T00:00:00Z`), 200)).roles).toEqual([]);
        expect((await as(bob, 'GET', `/users/${alice.user.userId}/roles`)).status).toBe(404);
      });
    });
  });

  describe('sessions and users', () => {
    it('rotates refresh tokens; reusing a rotated one ends the whole session', async () => {
      const first = await login('bob');
      const second = await json<Tokens>(await as(undefined, 'POST', '/auth/refresh', { refreshToken: first.refreshToken }), 200);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(await json(await as(undefined, 'POST', '/auth/refresh', { refreshToken: first.refreshToken }), 401)).toMatchObject({
        detail: expect.stringContaining('already used'),
      });
      expect((await as(undefined, 'POST', '/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
      expect((await as(undefined, 'POST', '/auth/refresh', {})).status).toBe(400);
    });

    it('lets an admin list, read, update and deactivate users; a deactivated user is locked out', async () => {
      const admin = await login('admin');
      expect(admin.user.roles).toEqual(['admin']);
      const users = await json<Record<string, any>[]>(await as(admin, 'GET', '/users'), 200);
      expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['root', 'alice', 'bob', 'admin']));
      expect((await as(alice, 'GET', '/users')).status).toBe(403);
      expect((await as(alice, 'GET', `/users/${bob.user.userId}`)).status).toBe(404);
      expect(await json(await as(alice, 'PUT', `/users/${alice.user.userId}`, { name: 'Alice Kim' }), 200)).toMatchObject({ name: 'Alice Kim' });
      const created = await json(await as(admin, 'POST', '/users', { username: 'eve', name: 'Eve' }), 201);
      expect(created).toMatchObject({ username: 'eve', source: 'admin', active: true });
      expect((await as(admin, 'POST', '/users', { username: 'eve', name: 'Eve' })).status).toBe(409);

      const dave = await login('dave');
      expect(await json(await as(admin, 'DELETE', `/users/${dave.user.userId}?reason=left`), 200)).toMatchObject({ active: false });
      expect((await as(undefined, 'POST', '/auth/refresh', { refreshToken: dave.refreshToken })).status).toBe(401);
      expect((await as(dave, 'GET', '/auth/me')).status).toBe(401);
      expect((await as(dave, 'POST', '/role-requests', { role: 'dram.general', reason: 'x' })).status).toBe(403);
      await expect(login('dave')).rejects.toThrow(/401/);
      const withInactive = await json<Record<string, any>[]>(await as(admin, 'GET', '/users?includeInactive=true'), 200);
      expect(withInactive.find((u) => u.username === 'dave')).toMatchObject({ active: false });
    });

    it('serves the public keys its tokens are verified with', async () => {
      const auth = platform.services.get('auth')!;
      const jwks = await waitFor(
        async () => (await fetch(`${auth.url}/.well-known/jwks.json`)).json() as Promise<{ keys: { kid: string; alg: string }[] }>,
        'jwks',
      );
      expect(jwks.keys).toEqual([expect.objectContaining({ kid: decodeJwt(alice.accessToken).kid ?? expect.any(String), alg: 'ES256' })]);
      expect(JSON.stringify(jwks)).not.toContain('"d"');
    });
  });
  describe('the dashboard in a browser (Debian chromium)', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    /** Through the dashboard's "Log in", the provider's real login page, and back. */
    const logIn = async (username: string): Promise<Page> => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(platform.gatewayUrl);
      await page.click('#login');
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', `${username}-password`);
      await page.click('button[type=submit]');
      await page.waitForURL(`${platform.gatewayUrl}/`);
      await page.waitForSelector('#logout:not([hidden])');
      return page;
    };

    it('logs in through SSO, requests a role, and an admin approves it', async () => {
      const carol = await logIn('carol');
      expect(await carol.evaluate("sessionStorage.getItem('vista.accessToken')")).toMatch(/^ey/);
      expect(await carol.textContent('#who')).toContain('Carol');
      // Stop and retry need a pipeline role; the admin panel is not shown.
      expect(await carol.isDisabled('#stop-run')).toBe(false);
      await carol.click('#access-link');
      await carol.waitForSelector('#access-panel:not([hidden])');
      expect(await carol.isHidden('#admin-panel')).toBe(true);
      await carol.selectOption('#role-choice', 'dram.general');
      await carol.fill('#role-reason', 'dram analysis');
      await carol.click('#role-submit');
      await carol.waitForSelector('#role-note:has-text("waiting for an admin")');
      await carol.waitForSelector('#my-role-requests li:has-text("dram.general: pending")');

      const admin = await logIn('admin');
      expect(await admin.textContent('#who')).toContain('admin');
      await admin.click('#access-link');
      await admin.waitForSelector('#admin-panel:not([hidden])');
      const row = admin.locator('#pending-role-requests li', { hasText: 'dram.general' });
      await row.getByRole('button', { name: 'Approve' }).click();
      await admin.waitForSelector('#pending-role-requests li:has-text("dram.general")', { state: 'detached' });

      await carol.reload();
      await carol.waitForSelector('#who:has-text("dram.general")');
      await carol.click('#access-link');
      await carol.waitForSelector('#my-role-requests li:has-text("dram.general: approved")');
    });

    it('disables what a user without a role may not do', async () => {
      const page = await logIn('bob');
      expect(await page.textContent('#who')).toContain('no role yet');
      expect(await page.isDisabled('#stop-run')).toBe(true);
      expect(await page.isDisabled('#retry-run')).toBe(true);
      expect(await page.isHidden('#admin-panel')).toBe(true);
    });
  });
});
