import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Connection settings every service with a database shares (environment variable names). */
export class DatabaseEnvironment {
  /** postgres://user[:password]@host:port/database */
  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, { message: 'must be a postgres://…/<database> URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/vista';

  @IsInt() @Min(1) @Max(200) DATABASE_POOL_MAX = 10;
}

/** NATS settings every service shares (environment variable names). */
export class BusEnvironment {
  /** One or more comma-separated NATS URLs. */
  @IsString()
  @Matches(/^(nats|tls|wss?):\/\/[^,\s]+(,(nats|tls|wss?):\/\/[^,\s]+)*$/, { message: 'must be nats://host:port (comma-separated for a cluster)' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /** Isolates one deployment (or test run) from another: prefixes subjects, streams and buckets. */
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { message: 'must be lower-case letters, digits, _ or - (≤ 40)' })
  VISTA_BUS_NAMESPACE = 'vista';

  /** Replicas of Vista's JetStream streams: 1 on a single server, 3 on a cluster. */
  @IsInt() @Min(1) @Max(5) VISTA_STREAM_REPLICAS = 1;
}

/**
 * Where a verifier of access tokens finds the auth service's public keys (environment variable names).
 * `AUTH_JWKS` (an inline JSON key set) wins over `AUTH_JWKS_URL`, which defaults to the issuer's `JWKS_PATH`.
 */
export class IdentityEnvironment {
  /** The `iss` every access token must carry: the auth service's origin. */
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  AUTH_ISSUER = 'http://127.0.0.1:3106';

  /** Where the public keys are served; default `<AUTH_ISSUER>/.well-known/jwks.json`. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  AUTH_JWKS_URL?: string = undefined;

  /** The public keys inline, as a JSON Web Key Set (`{"keys":[…]}`); used instead of the URL when set. */
  @IsOptional()
  @IsString()
  AUTH_JWKS?: string = undefined;

  /**
   * The key Vista's services prove themselves to each other with: a private EC P-256 JWK (JSON, with
   * `kid`) held by every service and nobody else. What a service sends on its own (not for a user)
   * carries a short-lived token signed with it, `sub` `service:<name>`; without it no service token is
   * signed or accepted.
   */
  @IsOptional()
  @IsString()
  SERVICE_SIGNING_KEY?: string = undefined;
}

