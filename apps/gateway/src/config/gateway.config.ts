import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, IdentityEnvironment, loadEnvironment } from '@vista/contracts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The gateway's own variables (database and bus settings come from the shared classes). */
export class GatewayEnvironment {
  @IsString() HTTP_HOST = '127.0.0.1';

  /** 0 picks a free port (tests). */
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3000;

  /**
   * Express `trust proxy` hop count: how many proxies in front of the gateway may set
   * X-Forwarded-For. The rate limit counts per client address, so behind an ingress this must be
   * at least 1 or every client shares the ingress's address.
   */
  @IsInt() @Min(0) @Max(10) HTTP_TRUST_PROXY = 0;

  @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';

  /** Base OTLP/HTTP endpoint; traces are exported only when set. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  /** Largest deck file accepted by `POST /api/v1/decks`. */
  @IsInt() @Min(1) @Max(1_073_741_824) UPLOAD_MAX_BYTES = 16_777_216;

  /** Largest JSON request body. */
  @IsInt() @Min(64) @Max(16_777_216) BODY_MAX_BYTES = 262_144;

  /**
   * Largest body of `POST /api/v1/models/{modelId}/predict` (up to 10,000 rows). The rows travel on
   * as one NATS message, so this stays below the server's max_payload (1 MiB by default).
   */
  @IsInt() @Min(64) @Max(67_108_864) PREDICT_BODY_MAX_BYTES = 1_000_000;

  /**
   * How long the gateway waits for a service's reply to a command before answering 503 (problem type `timeout`). The command
   * may still complete after that: a client repeats it with the same Idempotency-Key to get its answer.
   */
  @IsInt() @Min(100) @Max(600_000) COMMAND_TIMEOUT_MS = 10_000;

  /** Requests per client address and window on `/api`: `<count>/<window>` with window `<n>s|m|h`, e.g. `100/10s`. */
  @Matches(/^[1-9]\d{0,6}\/[1-9]\d{0,4}[smh]$/, { message: 'must be <count>/<window> such as 600/1m or 100/10s' })
  GATEWAY_RATE_LIMIT = '600/1m';

  /** Login attempts per client address and window on the login routes (`/api/v1/auth/login`), same form as GATEWAY_RATE_LIMIT. */
  @Matches(/^[1-9]\d{0,6}\/[1-9]\d{0,4}[smh]$/, { message: 'must be <count>/<window> such as 10/1m' })
  AUTH_RATE_LIMIT = '10/1m';

  /**
   * Origins whose pages may call the API from a browser (CORS), comma-separated, e.g.
   * `https://vista.example.com,http://localhost:5173`. Empty: none but the gateway's own (the dashboard).
   */
  @Matches(/^(|https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)$/, { message: 'must be comma-separated origins such as https://vista.example.com' })
  CORS_ORIGINS = '';

  /** How often the gateway rereads the deactivated users (their tokens are refused from then on), ms. */
  @IsInt() @Min(50) @Max(600_000) DEACTIVATED_USERS_REFRESH_MS = 5_000;
}

export type GatewayConfig = DatabaseEnvironment & BusEnvironment & IdentityEnvironment & GatewayEnvironment;

/** Injection token of the validated configuration. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Reads and validates every variable the gateway uses; throws naming each bad variable. */
export function loadGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  return loadEnvironment([DatabaseEnvironment, BusEnvironment, IdentityEnvironment, GatewayEnvironment], env);
}

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** The origins of CORS_ORIGINS. */
export const parseOrigins = (value: string): string[] =>
  value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);

/** Parses GATEWAY_RATE_LIMIT (`600/1m`, `100/10s`). */
export function parseRateLimit(value: string): RateLimit {
  const match = /^(\d+)\/(\d+)([smh])$/.exec(value);
  if (!match) throw new Error(`rate limit "${value}" must be <count>/<window> such as 600/1m`);
  const [, count, amount, unit] = match;
  return { limit: Number(count), windowMs: Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS] };
}
