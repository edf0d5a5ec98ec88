import { IsInt, Max, Min } from 'class-validator';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { JobsEnvironment } from '@vista/jobs';
import { ServiceEnvironment } from '@vista/service-host';

export class MlEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3104;
  /** An ML job (all four steps) that runs longer than this (unless the run sets `params.ml.timeoutMs`) ends TIMEOUT. */
  @IsInt() @Min(100) ML_JOB_TIMEOUT_MS = 1_800_000;
  /** Loaded models kept in memory for predictions. */
  @IsInt() @Min(1) @Max(10_000) ML_MODEL_CACHE_SIZE = 32;
  /** Worker threads that run predictions (off the event loop); requests beyond them wait their turn. */
  @IsInt() @Min(1) @Max(64) ML_PREDICT_WORKERS = 2;
}

export type MlConfig = ReturnType<typeof loadMlConfig>;

/** The ML service's whole configuration, validated once at boot. */
export const loadMlConfig = (env: Record<string, string | undefined>) =>
  loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, JobsEnvironment, MlEnvironment] as const, env);

export const ML_CONFIG = Symbol('ML_CONFIG');
export const ML_SCHEMA = 'ml';
