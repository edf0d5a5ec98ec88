/**
 * The access token every request and command carries: a JWT signed by the auth service and checked by
 * the gateway and again by each service. One source for its shape, so issuer and verifiers agree.
 */

/** The only signing algorithm accepted (a token with any other `alg`, `none` included, is refused). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
/** The `aud` of every access token. */
export const ACCESS_TOKEN_AUDIENCE = 'vista-api';
/** Where the auth service serves its public keys, under its HTTP origin. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** Roles a user can hold (seed REQ-001/002). */
export const ROLES = ['admin', 'logic.general', 'logic.model-setup', 'dram.general'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** The claims of a verified access token. */
export interface AccessTokenClaims {
  /** The user id (uuid). */
  readonly sub: string;
  /** The user's display name. */
  readonly name: string;
  readonly roles: readonly Role[];
  /** The session the token belongs to (revoked with it). */
  readonly sid: string;
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

/** The `iss` of the tokens Vista's services sign for themselves (with SERVICE_SIGNING_KEY, never the auth service's key). */
export const SERVICE_TOKEN_ISSUER = 'vista:services';
/** The actor of work a service does on its own: `service:<name>`. */
export const serviceActor = (name: string): string => `service:${name}`;
export const isServiceActor = (actor: string): boolean => actor.startsWith('service:');

/** Who sent a command or request, as verified from its token. */
export interface VerifiedActor {
  /** The user id (`sub`) or `service:<name>`. */
  readonly id: string;
  readonly kind: 'user' | 'service';
  /** A user's roles (a service holds none). */
  readonly roles: readonly Role[];
  /** The user's display name, or the service's actor id. */
  readonly name: string;
}
