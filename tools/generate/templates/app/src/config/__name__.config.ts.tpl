import { IsInt, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { ServiceEnvironment } from '@vista/service-host';

export class __Name__Environment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = __port__;
}

export type __Name__Config = ReturnType<typeof load__Name__Config>;

/** The __name__ service's whole configuration, validated once at boot. */
export const load__Name__Config = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, __Name__Environment] as const, env);

export const __NAME___CONFIG = Symbol('__NAME___CONFIG');
export const __NAME___SCHEMA = '__schema__';
