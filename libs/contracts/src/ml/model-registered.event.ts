import { IsArray, IsInt, IsISO8601, IsNumber, IsObject, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A trained model entered the registry with its metrics and lineage (deck → design → model). */
export class ModelRegisteredV1 {
  @IsInt() @Min(1) kitId!: number;
  @IsUUID() runId!: string;
  @IsUUID() modelId!: string;
  @IsInt() @Min(1) modelVersion!: number;
  @IsString() @MaxLength(50) algorithm!: string;
  @IsUUID() deckId!: string;
  @IsUUID() datasetId!: string;
  @IsObject() metrics!: Record<string, number>;
  @IsNumber() r2!: number;
  @IsObject() hyperparameters!: Record<string, unknown>;
  /** Preprocessing, scaling and validation settings the model was built with. */
  @IsObject() params!: Record<string, unknown>;
  @IsArray() @IsString({ each: true }) factors!: string[];
  @IsString() @MaxLength(200) response!: string;
  /** Where the model came from: deck → design → model. */
  @IsObject() lineage!: Record<string, unknown>;
  /** SHA-256 of the stored artifact. */
  @IsString() @MaxLength(100) artifactDigest!: string;
  @IsISO8601() registeredAt!: string;
}

export const ModelRegistered = defineEvent({ type: 'ModelRegistered', version: 1, context: 'ml', payload: ModelRegisteredV1 });
