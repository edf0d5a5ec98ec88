import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartConfig } from './config.js';
import type { Output } from './output.js';
import { exitOf, type StartedServer, terminate } from './processes.js';
import { waitUntil } from './probe.js';
import { probeHost, serviceUrl } from './services.js';

const SSO_PORT = 3108;
const ADMIN_USER = 'vista-admin';

/** A file under the data folder, made once (mode 0600) and kept. */
function keep(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/** A private EC P-256 JWK (JSON, with kid and alg) for AUTH_SIGNING_KEY. */
function newSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(`${jwk.crv}.${jwk.x}.${jwk.y}`).digest('base64url').slice(0, 16);
  return JSON.stringify({ ...jwk, kid, alg: 'ES256' });
}

export interface LocalIdentity {
  /** Environment for every service (the caller's own settings win). */
  readonly env: Record<string, string>;
  /** How to log in, for the summary. */
  readonly help: string[];
}

/**
 * What logging in needs under `npm start`: the auth service's signing key (made once under the data
 * folder), its public key set for every verifier, the local admin of a fresh install (password made
 * once and kept), and the local OpenID Connect provider (tools/sso) unless SSO_ISSUER names another.
 */
export async function prepareLocalIdentity(
  config: StartConfig,
  out: Output,
  adopt: (server: StartedServer) => void,
  signal: AbortSignal,
): Promise<LocalIdentity> {
  const inherited = config.inheritedEnv;
  mkdirSync(config.dataDir, { recursive: true });
  const signingKey = inherited.AUTH_SIGNING_KEY ?? keep(join(config.dataDir, 'auth-signing-key.json'), newSigningKey);
  const { d: _private, ...publicJwk } = JSON.parse(signingKey) as Record<string, string>;
  const adminUser = inherited.VISTA_ADMIN_USER ?? ADMIN_USER;
  const adminPassword = inherited.VISTA_ADMIN_PASSWORD ?? keep(join(config.dataDir, 'admin-password'), () => randomBytes(12).toString('base64url'));
  const gatewayHost = probeHost(config.httpHost);
  const callbacks = [`http://${gatewayHost}:${config.ports.gateway}/api/v1/auth/callback`, `http://localhost:${config.ports.gateway}/api/v1/auth/callback`];
  const env: Record<string, string> = {
    AUTH_ISSUER: inherited.AUTH_ISSUER ?? serviceUrl(config, 'auth', '').replace(/\/$/, ''),
    AUTH_SIGNING_KEY: signingKey,
    AUTH_JWKS: inherited.AUTH_JWKS ?? JSON.stringify({ keys: [{ ...publicJwk, use: 'sig' }] }),
    VISTA_ADMIN_USER: adminUser,
    VISTA_ADMIN_PASSWORD: adminPassword,
    SSO_REDIRECT_URI: inherited.SSO_REDIRECT_URI ?? callbacks[0]!,
    AUTH_SSO_ADMINS: inherited.AUTH_SSO_ADMINS ?? 'admin',
  };
  const help = [
    'Log in:',
    `  SSO              ${serviceUrl(config, 'gateway', '/')} → "Log in" (local provider users: admin, alice, bob, carol, dave; password <name>-password)`,
    `  local admin      ${adminUser} / ${inherited.VISTA_ADMIN_PASSWORD ? '(VISTA_ADMIN_PASSWORD)' : adminPassword} — POST /api/v1/auth/login`,
  ];
  if (inherited.SSO_ISSUER) return { env: { ...env, SSO_ISSUER: inherited.SSO_ISSUER }, help };

  const port = Number(inherited.SSO_PORT ?? SSO_PORT);
  const issuer = `http://${gatewayHost === 'localhost' ? '127.0.0.1' : gatewayHost}:${port}`;
  out.info(`starting the local OpenID Connect provider on ${issuer}`);
  const child = spawn(process.execPath, [join(config.repoRoot, 'dist', 'tools', 'sso', 'main.js')], {
    cwd: config.repoRoot,
    env: { PATH: inherited.PATH ?? '', SSO_PORT: String(port), SSO_HOST: new URL(issuer).hostname, SSO_REDIRECT_URIS: callbacks.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) =>
    String(chunk)
      .split('\n')
      .filter(Boolean)
      .forEach((line) => out.line('sso', line, 'stdout')),
  );
  child.stderr?.on('data', (chunk: Buffer) =>
    String(chunk)
      .split('\n')
      .filter(Boolean)
      .forEach((line) => out.line('sso', line, 'stderr')),
  );
  const exited = exitOf(child);
  adopt({ name: 'OpenID Connect provider', stop: async () => void (await terminate(child, 5_000)), killNow: () => child.kill('SIGKILL'), exited });
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`the OpenID Connect provider exited: ${await exited}`);
      return fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => (r.ok ? true : `answered ${r.status}`),
        (e: Error) => `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`,
      );
    },
    { what: `the OpenID Connect provider (${issuer})`, timeoutMs: 30_000, signal },
  );
  return { env: { ...env, SSO_ISSUER: issuer }, help };
}
