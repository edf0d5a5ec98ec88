import { randomUUID } from 'node:crypto';
import { type JWK, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_AUDIENCE, type Role } from '@vista/contracts';
import { ServiceTokenIssuer } from '@vista/identity';

/** Who a test token is for; every field has a default (the identity's test user, no roles). */
export interface TestUser {
  readonly sub?: string;
  readonly name?: string;
  readonly roles?: readonly Role[];
  /** Session id (default: a fresh one). */
  readonly sid?: string;
  /** Lifetime in seconds (default 900); negative for an already expired token. */
  readonly expiresInSeconds?: number;
}

export interface TestIdentity {
  /** AUTH_ISSUER, AUTH_JWKS (the public key set, inline) and AUTH_SIGNING_KEY (the private JWK with its kid). */
  readonly env: { readonly AUTH_ISSUER: string; readonly AUTH_JWKS: string; readonly AUTH_SIGNING_KEY: string; readonly SERVICE_SIGNING_KEY: string };
  readonly issuer: string;
  readonly kid: string;
  /** The public key set (`{ keys: [publicJwk] }`). */
  readonly jwks: { keys: JWK[] };
  /** The private key as a JWK (with `kid` and `alg`). */
  readonly privateJwk: JWK;
  /** The `sub` of tokens that name none: one test user per identity. */
  readonly defaultSub: string;
  /** A signed ES256 access token for `user` (aud vista-api, iss the issuer). */
  token(user?: TestUser): Promise<string>;
  /** `{ authorization: 'Bearer <token>' }`, ready to spread into fetch headers. */
  header(token: string): { authorization: string };
  /** A service token (`sub` `service:<name>`, signed with SERVICE_SIGNING_KEY), as a service sends its own commands with. */
  serviceToken(name: string): Promise<string>;
  /** A token and its header in one step: `await identity.headers({ roles: ['admin'] })`. */
  headers(user?: TestUser): Promise<{ authorization: string }>;
}

/**
 * A signing key of a test's own, as the auth service would hold it: services under test verify with
 * `env.AUTH_JWKS`, the test (or an auth service given `env.AUTH_SIGNING_KEY`) signs.
 */
export async function createTestIdentity(options: { issuer?: string } = {}): Promise<TestIdentity> {
  const issuer = options.issuer ?? 'http://127.0.0.1:3106';
  const kid = `test-${randomUUID()}`;
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
  const signingKey = await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM);
  const jwks = { keys: [publicJwk] };
  const servicePair = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const serviceJwk: JWK = { ...(await exportJWK(servicePair.privateKey)), kid: `services-${randomUUID()}` };
  const serviceIssuers = new Map<string, ServiceTokenIssuer>();
  const defaultSub = randomUUID();
  const header = (token: string) => ({ authorization: `Bearer ${token}` });
  const token = async (user: TestUser = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: user.name ?? 'Test User', roles: [...(user.roles ?? [])], sid: user.sid ?? randomUUID() })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(user.sub ?? defaultSub)
      .setIssuedAt(now)
      .setExpirationTime(now + (user.expiresInSeconds ?? 900))
      .sign(signingKey);
  };
  return {
    env: {
      AUTH_ISSUER: issuer,
      AUTH_JWKS: JSON.stringify(jwks),
      AUTH_SIGNING_KEY: JSON.stringify(privateJwk),
      SERVICE_SIGNING_KEY: JSON.stringify(serviceJwk),
    },
    issuer,
    kid,
    jwks,
    privateJwk,
    defaultSub,
    token,
    header,
    headers: async (user) => header(await token(user)),
    serviceToken: (name) => {
      const tokens = serviceIssuers.get(name) ?? new ServiceTokenIssuer(name, serviceJwk);
      serviceIssuers.set(name, tokens);
      return tokens.token();
    },
  };
}

/**
 * `fetch` that sends `Authorization` on every call (a header the call sets itself wins):
 * `const api = fetchAs(await platform.identity.headers({ roles: ['admin'] }))`.
 */
export function fetchAs(auth: { authorization: string }): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', auth.authorization);
    return fetch(input, { ...init, headers });
  };
}
