import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { JobsEnvironment } from '@vista/jobs';
import { ServiceEnvironment } from '@vista/service-host';

export class DoeEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3103;
  /** A DOE job that runs longer than this (unless the run sets `params.doe.timeoutMs`) ends TIMEOUT. */
  @IsInt() @Min(100) DOE_JOB_TIMEOUT_MS = 600_000;
  /** The external evaluator for `labelling: evaluator`: POST {factors, responses, points} → {responses: {name: number[]}}. */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) DOE_EVALUATOR_URL?: string = undefined;
  @IsInt() @Min(100) DOE_EVALUATOR_TIMEOUT_MS = 30_000;
  /** Points per evaluator request. */
  @IsInt() @Min(1) @Max(100_000) DOE_EVALUATOR_BATCH = 1_000;
}

export type DoeConfig = ReturnType<typeof loadDoeConfig>;

/** The DOE service's whole configuration, validated once at boot. */
export const loadDoeConfig = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, JobsEnvironment, DoeEnvironment] as const, env);

export const DOE_CONFIG = Symbol('DOE_CONFIG');
export const DOE_SCHEMA = 'doe';
