import { IsInt, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { JobsEnvironment } from '@vista/jobs';
import { ServiceEnvironment } from '@vista/service-host';

export class OptimizeEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3105;
  /** An optimisation that runs longer than this (unless the run sets `params.optimize.timeoutMs`) ends TIMEOUT. */
  @IsInt() @Min(100) OPTIMIZE_JOB_TIMEOUT_MS = 600_000;
}

export type OptimizeConfig = ReturnType<typeof loadOptimizeConfig>;

/** The optimize service's whole configuration, validated once at boot. */
export const loadOptimizeConfig = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, JobsEnvironment, OptimizeEnvironment] as const, env);

export const OPTIMIZE_CONFIG = Symbol('OPTIMIZE_CONFIG');
export const OPTIMIZE_SCHEMA = 'optimize';
