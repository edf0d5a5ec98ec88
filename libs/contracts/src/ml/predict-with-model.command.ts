import { PIPELINE_ROLES } from '../auth/pipeline-roles.js';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { defineCommand } from '../define-command.js';

export const MAX_PREDICT_ROWS = 10_000;

/** Predicts the response of a registered model for factor settings (rows by factor name, or arrays in the model's factor order). */
export class PredictWithModelV1 {
  @IsUUID() modelId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_PREDICT_ROWS) rows!: (Record<string, number> | number[])[];
}

export interface PredictWithModelResult {
  readonly modelId: string;
  readonly modelVersion: number;
  readonly response: string;
  readonly factors: string[];
  readonly predictions: number[];
}

export const PredictWithModel = defineCommand<'PredictWithModel', PredictWithModelV1, PredictWithModelResult>({
  name: 'PredictWithModel',
  context: 'ml',
  payload: PredictWithModelV1,
  // Services too: the lot-tracking batch predicts its rows in chunks through the same pool and histogram.
  access: { users: PIPELINE_ROLES.predict, services: true },
});
