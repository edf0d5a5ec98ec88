import { type JSONWebKeySet, type JWK, type JWTPayload, createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  type AccessTokenClaims,
  JWKS_PATH,
  type Role,
  UnauthenticatedError,
  UnavailableError,
  type VerifiedActor,
  VistaError,
  isRole,
} from '@vista/contracts';
import { ServiceTokenVerifier, parseServiceKey, publicJwkOf } from './service-token.js';

/**
 * A further check of a verified token (e.g. "is this user still active?"). It throws a VistaError
 * (normally UnauthenticatedError) to refuse the token; anything else it throws is a failure of the check.
 */
export type AccessTokenCheck = (claims: AccessTokenClaims) => void | Promise<void>;

export interface AccessTokenVerifierOptions {
  /** The `iss` tokens must carry. */
  readonly issuer: string;
  /** The public keys inline; wins over `jwksUrl`. */
  readonly jwks?: JSONWebKeySet;
  /** Where the public keys are served (fetched and cached, refetched for an unknown `kid`). */
  readonly jwksUrl?: string;
  /** Clock skew allowed on `exp`/`iat`/`nbf`, seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  readonly checks?: readonly AccessTokenCheck[];
  /** The public half of SERVICE_SIGNING_KEY: service tokens are accepted (by `verifyActor`) only with it. */
  readonly serviceKey?: JWK;
  /** How many verified tokens are remembered until they expire (default 10,000; 0 verifies every time). */
  readonly verifiedCacheSize?: number;
}

/** The verifier's variables, as in `IdentityEnvironment` (AUTH_ISSUER, AUTH_JWKS_URL, AUTH_JWKS). */
export interface IdentityVariables {
  readonly AUTH_ISSUER?: string;
  readonly AUTH_JWKS_URL?: string;
  readonly AUTH_JWKS?: string;
  readonly SERVICE_SIGNING_KEY?: string;
}

export const DEFAULT_AUTH_ISSUER = 'http://127.0.0.1:3106';

type KeyResolver = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies access tokens: ES256 only (`none`, HS256 and every other algorithm are refused), the
 * signature against the auth service's key set, `iss`, `aud` (`vista-api`) and `exp`, and the claims'
 * shape. Answers the claims or throws UnauthenticatedError saying what is wrong.
 */
export class AccessTokenVerifier {
  private readonly keys: KeyResolver;
  private readonly checks: AccessTokenCheck[];
  private readonly serviceVerifier?: ServiceTokenVerifier;
  /**
   * Tokens whose signature and claims verified, with their claims, until they expire: a client sends the
   * same token on every request for its whole (short) life, and the signature check is the costliest
   * part of a read. The further checks (e.g. deactivation) still run on every use.
   */
  private readonly verified = new Map<string, AccessTokenClaims>();

  constructor(private readonly options: AccessTokenVerifierOptions) {
    if (options.jwks) this.keys = createLocalJWKSet(options.jwks);
    else if (options.jwksUrl) this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 5_000 });
    else throw new Error('an access token verifier needs a key set (jwks) or its URL (jwksUrl)');
    this.checks = [...(options.checks ?? [])];
    this.serviceVerifier = options.serviceKey ? new ServiceTokenVerifier(options.serviceKey) : undefined;
  }

  /** A verifier configured from AUTH_ISSUER, AUTH_JWKS (inline JSON) or AUTH_JWKS_URL. */
  static fromEnvironment(env: IdentityVariables, extra?: Pick<AccessTokenVerifierOptions, 'checks' | 'clockToleranceSeconds'>): AccessTokenVerifier {
    const issuer = env.AUTH_ISSUER || DEFAULT_AUTH_ISSUER;
    const serviceKey = env.SERVICE_SIGNING_KEY ? publicJwkOf(parseServiceKey(env.SERVICE_SIGNING_KEY)) : undefined;
    if (env.AUTH_JWKS) return new AccessTokenVerifier({ ...extra, issuer, serviceKey, jwks: parseJwks(env.AUTH_JWKS) });
    return new AccessTokenVerifier({ ...extra, issuer, serviceKey, jwksUrl: env.AUTH_JWKS_URL || `${issuer.replace(/\/+$/, '')}${JWKS_PATH}` });
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** Adds a check run on every verified token (after signature and claims). */
  addCheck(check: AccessTokenCheck): void {
    this.checks.push(check);
  }

  /** Verifies a compact JWS access token. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const claims = this.verified.get(token) ?? this.remember(token, await this.verifySignatureAndClaims(token));
    if (claims.exp + (this.options.clockToleranceSeconds ?? 5) <= Date.now() / 1000) {
      this.verified.delete(token);
      throw new UnauthenticatedError('the access token is not valid: it has expired');
    }
    for (const check of this.checks) {
      try {
        await check(claims);
      } catch (error) {
        if (error instanceof VistaError) throw error;
        throw new Error('an access token check failed', { cause: error });
      }
    }
    return claims;
  }

  private remember(token: string, claims: AccessTokenClaims): AccessTokenClaims {
    const limit = this.options.verifiedCacheSize ?? 10_000;
    if (limit <= 0) return claims;
    if (this.verified.size >= limit) {
      const now = Date.now() / 1000;
      for (const [cached, { exp }] of this.verified) if (exp <= now) this.verified.delete(cached);
      // Still full of live tokens: forget the oldest.
      if (this.verified.size >= limit) this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, claims);
    return claims;
  }

  private async verifySignatureAndClaims(token: string): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.options.issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
        // The keys could not be fetched: the caller's token may be fine, the auth service is not.
        throw new UnavailableError("the access token cannot be checked now: the auth service's keys are not available", { cause: error });
      }
      throw new UnauthenticatedError(`the access token is not valid: ${reason(error)}`, { cause: error });
    }
    return toClaims(payload);
  }

  /**
   * Who sent a command: a user (an access token from the auth service) or one of Vista's services (a
   * service token, accepted only when this verifier holds the service key).
   */
  async verifyActor(authorization: string | undefined | null): Promise<VerifiedActor> {
    const token = bearerToken(authorization);
    if (ServiceTokenVerifier.claimsToBeService(token)) {
      if (!this.serviceVerifier) throw new UnauthenticatedError('service tokens are not accepted here (no SERVICE_SIGNING_KEY)');
      const id = await this.serviceVerifier.verify(token);
      return { id, kind: 'service', roles: [], name: id };
    }
    const claims = await this.verify(token);
    return { id: claims.sub, kind: 'user', roles: claims.roles, name: claims.name };
  }

  /** Verifies the token of an `Authorization: Bearer <token>` header value. */
  async verifyAuthorization(header: string | undefined | null): Promise<AccessTokenClaims> {
    return this.verify(bearerToken(header));
  }
}

/** The token of an `Authorization: Bearer <token>` value; UnauthenticatedError when missing or another scheme. */
export function bearerToken(header: string | undefined | null): string {
  if (!header || !header.trim()) throw new UnauthenticatedError('an access token is required (Authorization: Bearer <token>)');
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  return match[1]!;
}

function parseJwks(text: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error('AUTH_JWKS is not valid JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as JSONWebKeySet).keys)) {
    throw new Error('AUTH_JWKS must be a JSON Web Key Set: {"keys":[…]}');
  }
  return value as JSONWebKeySet;
}

function toClaims(payload: JWTPayload): AccessTokenClaims {
  const { sub, iss, aud, iat, exp } = payload;
  const name = payload.name;
  const sid = payload.sid;
  const roles = payload.roles ?? [];
  if (typeof sub !== 'string' || !sub) throw new UnauthenticatedError('the access token has no subject');
  if (!Array.isArray(roles) || !roles.every(isRole)) throw new UnauthenticatedError('the access token carries unknown roles');
  return {
    sub,
    name: typeof name === 'string' ? name : sub,
    roles: roles as Role[],
    sid: typeof sid === 'string' ? sid : '',
    iss: iss as string,
    aud: Array.isArray(aud) ? aud[0]! : (aud as string),
    iat: iat as number,
    exp: exp as number,
  };
}

/** Why jose refused a token, in words safe to send back (never the key material). */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason === 'check_failed' ? 'is wrong' : error.reason}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `only ${ACCESS_TOKEN_ALGORITHM} is accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'it was not signed by a known key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'it is malformed';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError) return error.message;
  return 'it could not be verified';
}
