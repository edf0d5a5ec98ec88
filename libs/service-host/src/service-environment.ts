import { IsIn, IsOptional, IsString } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type ServiceLogLevel = (typeof LOG_LEVELS)[number];

/** Settings every service process shares besides its database and bus (its HTTP port is its own). */
export class ServiceEnvironment {
  @IsString() HTTP_HOST = '127.0.0.1';
  @IsIn(LOG_LEVELS) LOG_LEVEL: ServiceLogLevel = 'info';
  @IsOptional() @IsString() OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;
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
}
