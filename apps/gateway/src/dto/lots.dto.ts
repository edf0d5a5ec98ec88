import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  IsBusinessDate,
  LotRowFieldsV1,
  MAX_LOT_CSV_BYTES,
  MAX_WAFERS_PER_LOT,
  UpdateLotRowFieldsV1,
  type LotBatchStatus,
  type LotBatchTrigger,
  type LotRowStatus,
} from '@vista/contracts';
import { ToInteger } from './transforms.js';

const CURSOR = /^[\w-]+$/;

/** A page's `cursor`: the previous page's `nextCursor`. */
const PageCursor = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: "The previous page's `nextCursor`." }),
    IsOptional(),
    IsString(),
    MaxLength(200),
    Matches(CURSOR, { message: 'cursor must be a nextCursor the API gave' }),
  );

/** A page's `limit`: 1..max rows. */
const PageLimit = (max: number, byDefault: number): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: byDefault }),
    IsOptional(),
    ToInteger(),
    IsInt({ message: 'limit must be an integer' }),
    Min(1),
    Max(max),
  );
const CODE = { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' };

/** The OpenAPI description of a lot row's fields, written once for the add and update bodies. */
const ROW_FIELDS: Record<keyof LotRowFieldsV1, { required: boolean; spec: Parameters<typeof ApiProperty>[0] }> = {
  lotId: { required: true, spec: { example: 'A2412345.01', maxLength: 40, ...CODE, description: "The lot's id on its traveller." } },
  product: { required: true, spec: { example: 'DRAM-D1B-16G', maxLength: 64, ...CODE, description: 'The product (device) the lot is built as.' } },
  processStep: { required: true, spec: { example: 'ETCH-120', maxLength: 64, ...CODE, description: 'The process step (operation) the row is about.' } },
  equipment: { required: true, spec: { example: 'EQ-ETCH-07', maxLength: 64, ...CODE, description: 'The equipment (tool, chamber) the step runs on.' } },
  waferCount: { required: true, spec: { type: 'integer', minimum: 1, maximum: MAX_WAFERS_PER_LOT, example: 25, description: 'Wafers in the lot.' } },
  setupModelId: { required: true, spec: { format: 'uuid', description: 'The set-up model the row is assigned to; you need access to it.' } },
  factors: {
    required: true,
    spec: {
      type: 'object',
      additionalProperties: { type: 'number' },
      example: { temperature: 350.5, pressure: 2.1 },
      description: 'Every factor the model needs, by name, as numbers (no other names).',
    },
  },
  note: { required: false, spec: { maxLength: 500, description: 'A free note (why the lot is tracked, a hold reason, …).' } },
};

/** One lot row to add. */
export class LotRowRequest extends LotRowFieldsV1 {}
for (const [field, { required, spec }] of Object.entries(ROW_FIELDS)) {
  (required ? ApiProperty(spec) : ApiPropertyOptional(spec))(LotRowRequest.prototype, field);
}

/** Changes to a lot row: only the fields given change. */
export class UpdateLotRowRequest extends UpdateLotRowFieldsV1 {}
for (const [field, { spec }] of Object.entries(ROW_FIELDS)) if (field !== 'lotId') ApiPropertyOptional(spec)(UpdateLotRowRequest.prototype, field);
ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The version you changed; another change in between answers 409.' })(
  UpdateLotRowRequest.prototype,
  'expectedVersion',
);

export class LotRowsCsvRequest {
  @ApiProperty({
    maxLength: MAX_LOT_CSV_BYTES,
    description:
      'CSV text. Header: `lotId,product,processStep,equipment,waferCount,setupModelId`, optionally `note`, and one `factor.<name>` column per factor. All rows are added, or none: every bad line is reported by its number.',
    example: 'lotId,product,processStep,equipment,waferCount,setupModelId,factor.temperature,factor.pressure\nA1,DRAM,ETCH-120,EQ-7,25,<uuid>,350,2.1',
  })
  @IsString({ message: 'csv must be a string' })
  @MinLength(1, { message: 'csv is required' })
  @MaxLength(MAX_LOT_CSV_BYTES)
  csv!: string;
}

export class RetireLotRowRequest {
  @ApiProperty({ maxLength: 500, description: 'Why the row leaves the daily batch (kept in its history).' })
  @IsString({ message: 'reason must be a string' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(500)
  reason!: string;
}

export class LotRowIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'rowId must be a UUID' }) rowId!: string;
}

export class LotRowListQuery {
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40) lotId?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) product?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) processStep?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) equipment?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only rows assigned to this set-up model.' })
  @IsOptional()
  @IsUUID('all', { message: 'model must be a UUID' })
  model?: string;
  @ApiPropertyOptional({ enum: ['active', 'retired', 'all'], default: 'active' }) @IsOptional() @IsIn(['active', 'retired', 'all']) status?:
    LotRowStatus | 'all';
  @PageCursor()
  cursor?: string;
  @PageLimit(1000, 100)
  limit?: number;
}

export class LotResultsQuery {
  @ApiProperty({ example: '2026-12-03', description: 'The business date (YYYY-MM-DD).' }) @IsBusinessDate() date!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the rows of this set-up model.' })
  @IsOptional()
  @IsUUID('all', { message: 'model must be a UUID' })
  model?: string;
  @PageCursor()
  cursor?: string;
  @PageLimit(10_000, 500)
  limit?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: '`csv` downloads every result of the date (and model) as one CSV file.' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class BatchListQuery {
  @ApiPropertyOptional({ example: '2026-12-03', description: 'Only attempts for this business date.' }) @IsOptional() @IsBusinessDate() date?: string;
  @ApiPropertyOptional({ enum: ['running', 'succeeded', 'unchanged', 'failed'] })
  @IsOptional()
  @IsIn(['running', 'succeeded', 'unchanged', 'failed'])
  status?: LotBatchStatus;
  @PageCursor()
  cursor?: string;
  @PageLimit(500, 50)
  limit?: number;
}

export class RunBatchRequest {
  @ApiPropertyOptional({ example: '2026-12-03', description: 'The business date to run (YYYY-MM-DD); today (UTC) by default.' })
  @IsOptional()
  @IsBusinessDate()
  date?: string;
}

export class AttemptIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'attemptId must be a UUID' }) attemptId!: string;
}

// ---- Responses ----

export class LotRowResponse {
  @ApiProperty({ format: 'uuid' }) rowId!: string;
  @ApiProperty() lotId!: string;
  @ApiProperty() product!: string;
  @ApiProperty() processStep!: string;
  @ApiProperty() equipment!: string;
  @ApiProperty({ type: 'integer' }) waferCount!: number;
  @ApiProperty({ format: 'uuid' }) setupModelId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) factors!: Record<string, number>;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ enum: ['active', 'retired'] }) status!: LotRowStatus;
  @ApiProperty({ type: 'integer', description: 'Bumped by each change.' }) version!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) retiredReason!: string | null;
}

export class AddLotRowsResponse {
  @ApiProperty({ type: 'integer' }) added!: number;
  @ApiProperty({ type: LotRowResponse, isArray: true }) rows!: LotRowResponse[];
}

export class LotRowPage {
  @ApiProperty({ type: LotRowResponse, isArray: true }) items!: LotRowResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor!: string | null;
}

export class LotBatchResponse {
  @ApiProperty({ format: 'uuid' }) attemptId!: string;
  @ApiProperty({ example: '2026-12-03' }) businessDate!: string;
  @ApiProperty({ enum: ['schedule', 'manual', 'api'] }) trigger!: LotBatchTrigger;
  @ApiProperty({ description: 'Who started it: a user id, or `service:lot-tracking` for the schedule.' }) actor!: string;
  @ApiProperty({
    enum: ['running', 'succeeded', 'unchanged', 'failed'],
    description: '`unchanged`: the same inputs as the published results; nothing changed.',
  })
  status!: LotBatchStatus;
  @ApiProperty({ nullable: true, type: String, description: 'sha256 of the inputs (rows and model versions).' }) digest!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: 'integer' }) totalRows!: number;
  @ApiProperty({ type: 'integer', description: 'Predicted so far: the progress while it runs.' }) predictedRows!: number;
  @ApiProperty({ type: 'integer', description: 'Active rows left out (their model is not predictable, or factors are missing).' }) skippedRows!: number;
  @ApiProperty({ type: 'object', description: 'Set-up model → { registryModelId, modelVersion } used.', additionalProperties: true }) models!: Record<
    string,
    { registryModelId: string; modelVersion: number }
  >;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed (or why nothing changed).' }) reason!: string | null;
  @ApiProperty({ description: "Whether this attempt's results are the ones the date shows." }) current!: boolean;
}

export class LotBatchPage {
  @ApiProperty({ type: LotBatchResponse, isArray: true }) items!: LotBatchResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LotResultResponse {
  @ApiProperty({ format: 'uuid' }) rowId!: string;
  @ApiProperty({ type: 'integer', description: 'The row version the prediction was made from.' }) rowVersion!: number;
  @ApiProperty() lotId!: string;
  @ApiProperty() product!: string;
  @ApiProperty() processStep!: string;
  @ApiProperty() equipment!: string;
  @ApiProperty({ type: 'integer' }) waferCount!: number;
  @ApiProperty({ format: 'uuid' }) setupModelId!: string;
  @ApiProperty({ format: 'uuid' }) registryModelId!: string;
  @ApiProperty({ type: 'integer' }) modelVersion!: number;
  @ApiProperty({ description: "The model's response (what it predicts)." }) response!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) factors!: Record<string, number>;
  @ApiProperty() prediction!: number;
}

export class LotResultsPage {
  @ApiProperty({ example: '2026-12-03' }) businessDate!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The attempt whose results the date shows; null before the first.' })
  attemptId!: string | null;
  @ApiProperty({ nullable: true, type: String }) digest!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt!: string | null;
  @ApiProperty({ type: LotResultResponse, isArray: true }) items!: LotResultResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
