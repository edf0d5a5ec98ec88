import { IsArray, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { type FactorBounds, IsFactorBounds } from '../run-params/bounds.validator.js';

/**
 * What a stage hands the next one besides its own result: the run's parameters and the lineage so
 * far. Each stage reads only its trigger event, never another service's tables.
 */
export class ChainContextV1 {
  /** The deck the run collected. */
  @IsUUID() deckId!: string;
  /** The labelled DOE dataset (from the DOE stage on). */
  @IsOptional() @IsUUID() datasetId?: string;
  @IsOptional() @IsString() @MaxLength(50) designType?: string;
  @IsArray() @IsString({ each: true }) factors!: string[];
  @IsArray() @IsString({ each: true }) responses!: string[];
  /** The response modelled and optimised. */
  @IsOptional() @IsString() @MaxLength(200) response?: string;
  /** The factor ranges the design covered (the model's training ranges). */
  @IsOptional() @IsFactorBounds() bounds?: FactorBounds;
  /** The run's parameters (`KitRunParamsV1`), as checked when the run started. */
  @IsObject() params!: Record<string, unknown>;
}
