import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { decodeJwt, createRemoteJWKSet, jwtVerify } from 'jose';
import { sql } from 'kysely';
import { CommandClient } from '@vista/bus';
import {
  ACCESS_TOKEN_AUDIENCE,
  BeginSsoLogin,
  CheckModelAccess,
  CompleteSsoLogin,
  type CommandDefinition,
  DeactivateUser,
  DecideModelAccess,
  DecideRoleRequest,
  GetMe,
  GetModelAccessAsOf,
  JWKS_PATH,
  ListRoleRequests,
  LoginWithPassword,
  Logout,
  RefreshSession,
  RequestModelAccess,
  RequestRole,
  RevokeModelAccess,
  SetUpModel,
  type TokenPair,
  UserRolesAsOf,
} from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { createServiceApp, migrateService } from '@vista/service-host';
import {
  type RunningSsoProvider,
  SsoLoginRefused,
  type TestBus,
  type TestDatabase,
  createTestBus,
  createTestDatabase,
  createTestIdentity,
  ssoAuthorize,
  startSsoProvider,
  testServers,
  waitFor,
} from '@vista/testing';
import { AuthModule } from './app.module.js';
import { AUTH_SCHEMA, loadAuthConfig } from './config/auth.config.js';
import { authMigrations } from './migrations/auth.migrations.js';

// Real NATS, Postgres and OpenID Connect provider on a shared machine: a bound on waiting, not a performance claim.
jest.setTimeout(60_000);

const REDIRECT_URI = 'http://127.0.0.1:9/api/v1/auth/callback';

describe('the auth service: sessions, SSO, roles, set-up models and access (real Postgres, NATS and OIDC provider)', () => {
  let database: TestDatabase;
  let bus: TestBus;
  let sso: RunningSsoProvider;
  let app: INestApplication;
  let client: CommandClient;
  let url: string;
  const registryModelId = randomUUID();
  /** Each user's latest access token (commands carry it, as the gateway forwards it). */
  const tokens = new Map<string, string>();
  let serviceToken: string;

  beforeAll(async () => {
    database = await createTestDatabase('auth');
    bus = await createTestBus();
    const identity = await createTestIdentity();
    serviceToken = await identity.serviceToken('gateway');
    sso = await startSsoProvider({ port: 0, clientId: 'vista', clientSecret: 'secret', redirectUris: [REDIRECT_URI] });
    const settings = loadAuthConfig({
      ...identity.env,
      DATABASE_URL: database.url,
      NATS_URL: testServers.natsUrl,
      VISTA_BUS_NAMESPACE: bus.namespace,
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      VISTA_ADMIN_USER: 'root',
      VISTA_ADMIN_PASSWORD: 'root-password',
      SSO_ISSUER: sso.issuer,
      SSO_CLIENT_SECRET: 'secret',
      SSO_REDIRECT_URI: REDIRECT_URI,
      AUTH_SSO_ADMINS: 'admin',
    });
    await migrateService({ name: 'auth', schema: AUTH_SCHEMA, migrations: authMigrations(AUTH_SCHEMA), config: settings });
    // The registry as the projector shows it (only the columns the auth service reads).
    const db = createDatabase({ url: database.url });
    await sql`create schema if not exists read`.execute(db);
    await sql`create table read.models (model_id uuid primary key, algorithm text not null, kit_id integer not null)`.execute(db);
    await sql`insert into read.models values (${registryModelId}, 'random-forest', 7)`.execute(db);
    await db.destroy();
    app = await createServiceApp({ name: 'auth', module: AuthModule.forRoot(settings), config: settings, appOptions: { logger: false } });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    client = new CommandClient(bus.namespace, [testServers.natsUrl], 'test-auth');
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await sso?.close();
    await bus?.cleanup();
    await database?.drop();
  });

  /** Sends a command as a user (their latest token) or, without one, as the gateway service; keeps the tokens it answers. */
  const run = async <P extends object, R>(definition: CommandDefinition<string, P, R>, payload: P, actor?: string): Promise<R> => {
    const authorization = `Bearer ${actor ? (tokens.get(actor) ?? 'none') : serviceToken}`;
    const answer = await client.execute(definition, payload, { actor: actor ?? 'service:gateway', correlationId: randomUUID(), authorization });
    const pair = answer as Partial<TokenPair> | undefined;
    if (pair?.accessToken && pair.user) tokens.set(pair.user.userId, pair.accessToken);
    return answer;
  };

  const ssoLogin = async (username: string, password = `${username}-password`): Promise<TokenPair> => {
    const { authorizationUrl } = await run(BeginSsoLogin, {});
    const callback = await ssoAuthorize(authorizationUrl, { username, password }, REDIRECT_URI);
    return run(CompleteSsoLogin, { query: callback.search.slice(1) });
  };

  let root: TokenPair;
  let alice: TokenPair;
  let admin: TokenPair;

  it('logs the bootstrapped local admin in and signs ES256 tokens its JWKS verifies', async () => {
    root = await waitFor(() => run(LoginWithPassword, { username: 'root', password: 'root-password' }), 'the auth command server');
    expect(root.user).toMatchObject({ username: 'root', source: 'bootstrap', roles: ['admin'], active: true });
    const jwks = createRemoteJWKSet(new URL(`${url}${JWKS_PATH}`));
    const { payload, protectedHeader } = await jwtVerify(root.accessToken, jwks, {
      issuer: 'http://127.0.0.1:3106',
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: ['ES256'],
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: root.user.userId, name: 'root', roles: ['admin'] });
    expect(payload.exp! - payload.iat!).toBe(300);
    await expect(run(LoginWithPassword, { username: 'root', password: 'wrong' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('registers SSO users on their first login, admins from the configured list', async () => {
    alice = await ssoLogin('alice');
    expect(alice.user).toMatchObject({ username: 'alice', name: 'Alice', email: 'alice@vista.local', source: 'sso', roles: [] });
    const again = await ssoLogin('alice');
    expect(again.user.userId).toBe(alice.user.userId);
    admin = await ssoLogin('admin');
    expect(admin.user.roles).toEqual(['admin']);
    expect(decodeJwt(admin.accessToken).roles).toEqual(['admin']);
  });

  it('refuses wrong SSO credentials at the provider, and a callback whose state it did not start', async () => {
    const { authorizationUrl } = await run(BeginSsoLogin, {});
    await expect(ssoAuthorize(authorizationUrl, { username: 'alice', password: 'nope' }, REDIRECT_URI)).rejects.toBeInstanceOf(SsoLoginRefused);
    await expect(run(CompleteSsoLogin, { query: 'code=abc&state=forged' })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(run(CompleteSsoLogin, { query: 'error=access_denied&state=x' })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('rotates refresh tokens; a rotated one used again ends the whole session', async () => {
    const bob = await ssoLogin('bob');
    const next = await run(RefreshSession, { refreshToken: bob.refreshToken });
    expect(next.refreshToken).not.toBe(bob.refreshToken);
    expect(decodeJwt(next.accessToken).sid).toBe(decodeJwt(bob.accessToken).sid);
    await expect(run(RefreshSession, { refreshToken: bob.refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
    // The newest token of that session is dead too.
    await expect(run(RefreshSession, { refreshToken: next.refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
    const other = await ssoLogin('bob');
    await run(Logout, { refreshToken: other.refreshToken });
    await expect(run(RefreshSession, { refreshToken: other.refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('takes role requests with a reason; an admin approves or rejects them with one', async () => {
    const me = alice.user.userId;
    const general = await run(RequestRole, { role: 'logic.general', reason: 'daily analysis' }, me);
    expect(general).toMatchObject({ status: 'pending', role: 'logic.general', userId: me });
    const setup = await run(RequestRole, { role: 'logic.model-setup', reason: 'set up models' }, me);
    const dram = await run(RequestRole, { role: 'dram.general', reason: 'dram work' }, me);
    await expect(run(RequestRole, { role: 'logic.general', reason: 'again' }, me)).rejects.toMatchObject({ code: 'conflict' });
    await expect(run(RequestRole, { role: 'wizard', reason: 'x' } as never, me)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('role'),
    });
    await expect(run(RequestRole, {} as never, me)).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('reason') });
    await expect(run(RequestRole, { role: 'logic.general', reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    // Only an admin decides.
    await expect(run(DecideRoleRequest, { requestId: general.requestId, decision: 'approved', reason: 'self' }, me)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const admins = admin.user.userId;
    await expect(run(DecideRoleRequest, { requestId: general.requestId, decision: 'approved', reason: 'ok' }, admins)).resolves.toMatchObject({
      status: 'approved',
    });
    await run(DecideRoleRequest, { requestId: setup.requestId, decision: 'approved', reason: 'ok' }, admins);
    await expect(run(DecideRoleRequest, { requestId: dram.requestId, decision: 'rejected', reason: 'not dram' }, admins)).resolves.toMatchObject({
      status: 'rejected',
      decision: { by: admins, reason: 'not dram' },
    });
    await expect(run(DecideRoleRequest, { requestId: dram.requestId, decision: 'approved', reason: 'changed mind' }, admins)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(run(RequestRole, { role: 'logic.general', reason: 'again' }, me)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already held'),
    });
    const mine = await run(ListRoleRequests, {}, me);
    expect(mine.map((r) => [r.role, r.status]).sort()).toEqual([
      ['dram.general', 'rejected'],
      ['logic.general', 'approved'],
      ['logic.model-setup', 'approved'],
    ]);
    expect((await run(GetMe, {}, me)).roles).toEqual(['logic.general', 'logic.model-setup']);
    // The next token carries the new roles.
    alice = await run(RefreshSession, { refreshToken: alice.refreshToken });
    expect(decodeJwt(alice.accessToken).roles).toEqual(['logic.general', 'logic.model-setup']);
  });

  it('copies registered models into set-up models, and grants, revokes and re-grants access, answerable as of any time', async () => {
    const owner = alice.user.userId;
    const carol = (await ssoLogin('carol')).user.userId;
    await expect(run(SetUpModel, { sourceModelId: registryModelId }, carol)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(run(SetUpModel, { sourceModelId: randomUUID() }, owner)).rejects.toMatchObject({ code: 'not-found' });
    const copy = await run(SetUpModel, { sourceModelId: registryModelId, name: 'Line 3 yield', attributes: { line: 3 } }, owner);
    expect(copy).toMatchObject({ registryModelId, ownerId: owner, name: 'Line 3 yield', attributes: { line: 3 }, lineage: [registryModelId], canUse: true });
    await expect(run(CheckModelAccess, { setupModelId: copy.setupModelId }, carol)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(run(RequestModelAccess, { setupModelId: copy.setupModelId } as never, carol)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('reason'),
    });

    const times: string[] = [];
    const first = await run(RequestModelAccess, { setupModelId: copy.setupModelId, reason: 'predict line 3' }, carol);
    expect(first).toMatchObject({ status: 'pending' });
    await run(DecideModelAccess, { requestId: (first as { requestId: string }).requestId, decision: 'approved', reason: 'fine' }, owner);
    times.push(new Date().toISOString());
    await expect(run(RequestModelAccess, { setupModelId: copy.setupModelId, reason: 'again' }, carol)).resolves.toMatchObject({ status: 'already-granted' });
    await expect(run(CheckModelAccess, { setupModelId: copy.setupModelId }, carol)).resolves.toEqual({ setupModelId: copy.setupModelId, registryModelId });
    await run(RevokeModelAccess, { setupModelId: copy.setupModelId, userId: carol, reason: 'project over' }, owner);
    times.push(new Date().toISOString());
    const second = (await run(RequestModelAccess, { setupModelId: copy.setupModelId, reason: 'new project' }, carol)) as { requestId: string };
    await run(DecideModelAccess, { requestId: second.requestId, decision: 'approved', reason: 'ok again' }, owner);
    times.push(new Date().toISOString());

    const at = (asOf: string) => run(GetModelAccessAsOf, { setupModelId: copy.setupModelId, asOf }, owner);
    expect((await at(times[0]!)).users.find((u) => u.userId === carol)).toMatchObject({ as: 'granted', requestId: (first as { requestId: string }).requestId });
    expect((await at(times[1]!)).users.map((u) => u.userId)).toEqual([owner]);
    expect((await at(times[2]!)).users.find((u) => u.userId === carol)).toMatchObject({ requestId: second.requestId, grantedBy: owner });
    expect((await at('2000-01-01T00:00:00Z')).users).toEqual([]);
    await expect(run(GetModelAccessAsOf, { setupModelId: copy.setupModelId }, carol)).rejects.toMatchObject({ code: 'not-found' });

    const roles = await run(UserRolesAsOf, { userId: owner, asOf: times[0]! }, owner);
    expect(roles.roles.map((r) => r.role)).toEqual(['logic.general', 'logic.model-setup']);
    expect((await run(UserRolesAsOf, { userId: owner, asOf: '2000-01-01T00:00:00Z' }, owner)).roles).toEqual([]);
  });

  it('ends a deactivated user’s sessions and refuses their logins', async () => {
    const dave = await ssoLogin('dave');
    await expect(run(DeactivateUser, { userId: dave.user.userId }, alice.user.userId)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(run(DeactivateUser, { userId: dave.user.userId, reason: 'left' }, admin.user.userId)).resolves.toMatchObject({ active: false });
    await expect(run(RefreshSession, { refreshToken: dave.refreshToken })).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(ssoLogin('dave')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(run(GetMe, {}, dave.user.userId)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
