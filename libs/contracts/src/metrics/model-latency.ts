import { IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/** One model's latency quantiles over a collection's window, in milliseconds (null: no predictions in the window). */
export class ModelLatencyV1 {
  /** The model's id (the histogram's `model` label). */
  @IsString() @MaxLength(200) modelId!: string;
  /** The model's human name (the histogram's `model_name` label). */
  @IsString() @MaxLength(200) modelName!: string;
  @IsOptional() @IsNumber() @Min(0) p50Ms!: number | null;
  @IsOptional() @IsNumber() @Min(0) p95Ms!: number | null;
  @IsOptional() @IsNumber() @Min(0) p99Ms!: number | null;
}
