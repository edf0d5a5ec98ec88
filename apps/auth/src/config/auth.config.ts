import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { ServiceEnvironment } from '@vista/service-host';

export class AuthEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3106;

  /** `iss` of the access tokens this service signs (the verifiers expect the same). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) AUTH_ISSUER = 'http://127.0.0.1:3106';
  /** The private EC P-256 JWK (JSON, with `kid`) access tokens are signed with; a fresh one per process when unset. */
  @IsOptional() @IsString() AUTH_SIGNING_KEY?: string = undefined;
  /** Lifetime of an access token: a deactivated user's tokens stop working within it. */
  @IsInt() @Min(10) @Max(3600) ACCESS_TOKEN_TTL_SECONDS = 300;
  @IsInt() @Min(60) @Max(90 * 86_400) REFRESH_TOKEN_TTL_SECONDS = 7 * 86_400;

  /** The local admin created on a fresh install (both or neither). */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._@-]{1,100}$/, { message: 'must be 1-100 letters, digits, . _ @ or -' }) VISTA_ADMIN_USER?: string =
    undefined;
  @IsOptional() @IsString() @MaxLength(200) VISTA_ADMIN_PASSWORD?: string = undefined;

  /** The OpenID Connect provider users log in with. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) SSO_ISSUER = 'http://127.0.0.1:3108';
  @IsString() SSO_CLIENT_ID = 'vista';
  @IsString() SSO_CLIENT_SECRET = 'vista-local-secret';
  /** Where the provider sends the browser back: the gateway's callback route. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) SSO_REDIRECT_URI = 'http://127.0.0.1:3000/api/v1/auth/callback';
  /** Comma-separated SSO usernames who are admins from their first login. */
  @IsString() AUTH_SSO_ADMINS = '';
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>;

/** The auth service's whole configuration, validated once at boot. */
export const loadAuthConfig = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, AuthEnvironment] as const, env);

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export const AUTH_SCHEMA = 'auth';
