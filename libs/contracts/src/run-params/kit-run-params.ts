// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { DATASET_TYPES, type DatasetType } from '../deck/deck-ingested.event.js';
import { type FactorBounds, IsFactorBounds } from './bounds.validator.js';
import { MAX_RUN_PRIORITY, MIN_RUN_PRIORITY } from '../job/job-payloads.js';

export const DESIGN_TYPES = ['full-factorial', 'latin-hypercube', 'central-composite', 'box-behnken'] as const;
export type DesignType = (typeof DESIGN_TYPES)[number];
export const CCD_ALPHAS = ['rotatable', 'face-centered'] as const;
export const LABELLING_METHODS = ['interpolator', 'evaluator'] as const;
export const MISSING_VALUE_STRATEGIES = ['drop', 'mean', 'median'] as const;
export const OUTLIER_METHODS = ['none', 'iqr', 'zscore'] as const;
export const SCALING_METHODS = ['standard', 'minmax', 'robust', 'none'] as const;
export const MODEL_ALGORITHMS = ['ridge', 'polynomial', 'random-forest'] as const;
export type ModelAlgorithm = (typeof MODEL_ALGORITHMS)[number];
export const VALIDATION_KINDS = ['holdout', 'kfold'] as const;
export const OPTIMIZE_GOALS = ['minimize', 'maximize', 'target'] as const;

const MAX_TIMEOUT_MS = 86_400_000;

/** How the DOE stage builds and labels its design. Every field has a default. */
export class DoeParamsV1 {
  /** Design family (default `latin-hypercube`). */
  @IsOptional() @IsIn(DESIGN_TYPES) design?: DesignType;
  /** Points of a Latin hypercube (default 200). */
  @IsOptional() @IsInt() @Min(2) @Max(100_000) points?: number;
  /** Levels per factor of a full factorial (default 5). */
  @IsOptional() @IsInt() @Min(2) @Max(50) levels?: number;
  /** Centre points of a central composite or Box–Behnken design (default 1). */
  @IsOptional() @IsInt() @Min(0) @Max(100) centerPoints?: number;
  /** Axial distance of a central composite design (default `rotatable`). */
  @IsOptional() @IsIn(CCD_ALPHAS) alpha?: (typeof CCD_ALPHAS)[number];
  /** Where the responses of the design points come from (default `interpolator`, fitted on the deck). */
  @IsOptional() @IsIn(LABELLING_METHODS) labelling?: (typeof LABELLING_METHODS)[number];
  /** Ranges to design over; by default each factor's range in the deck. */
  @IsOptional() @IsFactorBounds() bounds?: FactorBounds;
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) seed?: number;
  @IsOptional() @IsInt() @Min(100) @Max(MAX_TIMEOUT_MS) timeoutMs?: number;
}

/** Hyperparameters of the model; those that do not apply to the chosen algorithm are ignored. */
export class HyperparametersV1 {
  /** Ridge penalty (ridge, polynomial). */
  @IsOptional() @IsNumber() @Min(0) @Max(1e6) alpha?: number;
  /** Polynomial degree, interactions included. */
  @IsOptional() @IsInt() @Min(1) @Max(4) degree?: number;
  /** Trees of the random forest. */
  @IsOptional() @IsInt() @Min(1) @Max(500) nEstimators?: number;
  @IsOptional() @IsInt() @Min(1) @Max(50) maxDepth?: number;
  /** Fraction of the factors each split may consider. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(1) maxFeatures?: number;
  /** Fraction of the rows each tree is grown on. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(1) maxSamples?: number;
}

/** How the ML stage preprocesses, scales, trains and tests. Every field has a default. */
export class MlParamsV1 {
  @IsOptional() @IsIn(MISSING_VALUE_STRATEGIES) missing?: (typeof MISSING_VALUE_STRATEGIES)[number];
  @IsOptional() @IsIn(OUTLIER_METHODS) outliers?: (typeof OUTLIER_METHODS)[number];
  /** IQR multiple or z-score beyond which a value is an outlier. */
  @IsOptional() @IsNumber() @Min(0.1) @Max(100) outlierThreshold?: number;
  @IsOptional() @IsIn(SCALING_METHODS) scaling?: (typeof SCALING_METHODS)[number];
  /** Model to train (default `polynomial`). */
  @IsOptional() @IsIn(MODEL_ALGORITHMS) algorithm?: ModelAlgorithm;
  @IsOptional() @ValidateNested() @Type(() => HyperparametersV1) hyperparameters?: HyperparametersV1;
  /** Held-out split (default) or k-fold cross-validation. */
  @IsOptional() @IsIn(VALIDATION_KINDS) validation?: (typeof VALIDATION_KINDS)[number];
  @IsOptional() @IsNumber() @Min(0.05) @Max(0.9) testFraction?: number;
  @IsOptional() @IsInt() @Min(2) @Max(20) folds?: number;
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) seed?: number;
  @IsOptional() @IsInt() @Min(100) @Max(MAX_TIMEOUT_MS) timeoutMs?: number;
}

/** What the optimiser looks for. */
export class OptimizeParamsV1 {
  /** Minimise (default), maximise or hit `target` with the predicted response. */
  @IsOptional() @IsIn(OPTIMIZE_GOALS) goal?: (typeof OPTIMIZE_GOALS)[number];
  /** The value to hit; required when goal is `target`. */
  @ValidateIf((o: OptimizeParamsV1) => o.goal === 'target' || o.target !== undefined) @IsNumber({ allowNaN: false, allowInfinity: false }) target?: number;
  /** Local searches from different starting points (default 20). */
  @IsOptional() @IsInt() @Min(1) @Max(500) starts?: number;
  @IsOptional() @IsInt() @Min(10) @Max(100_000) maxIterations?: number;
  /** Also tune the model's hyperparameters by cross-validation before optimising. */
  @IsOptional() @IsBoolean() tuneHyperparameters?: boolean;
  /** Ranges to search in; by default the model's training ranges. */
  @IsOptional() @IsFactorBounds() bounds?: FactorBounds;
  @IsOptional() @IsInt() @Min(0) @Max(2_147_483_647) seed?: number;
  @IsOptional() @IsInt() @Min(100) @Max(MAX_TIMEOUT_MS) timeoutMs?: number;
}

/** A kit run's parameters: checked before anything starts, then carried along the chain. */
export class KitRunParamsV1 {
  @IsOptional() @IsIn(DATASET_TYPES) datasetType?: DatasetType;
  /** The response column to model and optimise (default: the deck's first response). */
  @IsOptional() @IsString() @MaxLength(200) response?: string;
  /**
   * Where the run's jobs stand among the jobs waiting for a stage's workers: higher first (default 0).
   * Among equal priorities each kit takes its turn, so one kit's many runs do not starve another's.
   */
  @IsOptional() @IsInt() @Min(MIN_RUN_PRIORITY) @Max(MAX_RUN_PRIORITY) priority?: number;
  @IsOptional() @ValidateNested() @Type(() => DoeParamsV1) doe?: DoeParamsV1;
  @IsOptional() @ValidateNested() @Type(() => MlParamsV1) ml?: MlParamsV1;
  @IsOptional() @ValidateNested() @Type(() => OptimizeParamsV1) optimize?: OptimizeParamsV1;
}
