import { IsArray, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JobRefV1 } from '../job/job-payloads.js';

/** The optimisation finished with its best result (SUCCESS). */
export class OptimizeCompletedV1 extends JobRefV1 {
  @IsISO8601() completedAt!: string;
  @IsUUID() modelId!: string;
  /** Best factor settings found, by factor name. */
  @IsObject() bestFactors!: Record<string, number>;
  /** The model's prediction at the best settings. */
  @IsObject() predicted!: Record<string, number>;
  @IsInt() @Min(1) evaluations!: number;
  /** The goal searched for (`minimize`, `maximize`, or `target` with its value). */
  @IsObject() goal!: Record<string, unknown>;
  /** The objective at the best settings (the prediction, or its distance to the target). */
  @IsNumber() objective!: number;
  @IsInt() @Min(1) starts!: number;
  /** The ranges searched, by factor name. */
  @IsOptional() @IsObject() bounds?: Record<string, [number, number]>;
  /** Each improvement of the best objective, in evaluation order (bounded). */
  @IsArray() trace!: Record<string, unknown>[];
  /** Present when hyperparameters were tuned: the best found, its cross-validated score and the candidates tried. */
  @IsOptional() @IsObject() tuning?: Record<string, unknown>;
}

export const OptimizeCompleted = defineEvent({
  type: 'OptimizeCompleted',
  version: 1,
  context: 'optimize',
  payload: OptimizeCompletedV1,
  lifecycle: { jobType: 'optimize', status: 'SUCCESS', task: 'optimize' },
});
