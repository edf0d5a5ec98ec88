import { IsInt, IsNumber, IsObject, IsString, IsUUID, MaxLength, Min } from 'class-validator';
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
}

export const ModelRegistered = defineEvent({ type: 'ModelRegistered', version: 1, context: 'ml', payload: ModelRegisteredV1 });
