import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IdentityEnvironment } from '@vista/contracts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type ServiceLogLevel = (typeof LOG_LEVELS)[number];

/**
 * Settings every service process shares besides its database and bus (its HTTP port is its own),
 * with where it finds the keys that prove who sends its commands (IdentityEnvironment).
 */
export class ServiceEnvironment extends IdentityEnvironment {
  @IsString() HTTP_HOST = '127.0.0.1';
  @IsIn(LOG_LEVELS) LOG_LEVEL: ServiceLogLevel = 'info';
  @IsOptional() @IsString() OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;
  /** On SIGTERM, the longest the whole shutdown may take (work drains, connections close) before the process exits anyway (ms). */
  @IsInt() @Min(1_000) @Max(600_000) SHUTDOWN_GRACE_MS = 15_000;
}

/** What `ServiceInfrastructureModule` and `runService` read from a service's validated config. */
export interface ServiceSettings {
  readonly DATABASE_URL: string;
  readonly DATABASE_POOL_MAX: number;
  readonly NATS_URL: string;
  readonly VISTA_BUS_NAMESPACE: string;
  readonly VISTA_STREAM_REPLICAS: number;
  readonly HTTP_HOST: string;
  readonly HTTP_PORT: number;
  readonly LOG_LEVEL: ServiceLogLevel;
  readonly AUTH_ISSUER?: string;
  readonly AUTH_JWKS_URL?: string;
  readonly AUTH_JWKS?: string;
  readonly SERVICE_SIGNING_KEY?: string;
}
