import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The projector's own settings (environment variable names). */
export class ProjectorEnvironment {
  @IsString() @MinLength(1) HTTP_HOST = '127.0.0.1';

  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3102;

  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Base OTLP/HTTP endpoint; traces are exported only when it is set. */
  @ValidateIf((env: ProjectorEnvironment) => env.OTEL_EXPORTER_OTLP_ENDPOINT !== '')
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT = '';

  /** Most events folded in one transaction. */
  @IsInt() @Min(1) @Max(10_000) PROJECTOR_BATCH_SIZE = 500;
  /** How long a part-filled batch waits for more events (ms): bigger batches, a little more lag. */
  @IsInt() @Min(0) @Max(1_000) PROJECTOR_BATCH_LINGER_MS = 10;

  /** Not ready when a backlog has seen no progress for this long. */
  @IsInt() @Min(1) @Max(86_400) PROJECTOR_STALL_SECONDS = 30;

  /** Events of a service log not folded after this long are refilled from the log (and readiness says so). */
  @IsInt() @Min(0) @Max(3_600_000) RECONCILE_GRACE_MS = 5_000;
  /** How often the reconciler compares the logs with the read model and the stream with its consumers. */
  @IsInt() @Min(100) @Max(600_000) RECONCILE_INTERVAL_MS = 1_000;

  /** Schema the gateway reads; a rebuild swaps fresh tables in under this name. */
  @Matches(/^[a-z_][a-z0-9_]{0,30}$/, { message: 'must be a lower-case SQL identifier of at most 31 characters' })
  READ_SCHEMA = 'read';
}
