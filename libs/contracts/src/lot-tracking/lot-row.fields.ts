import { IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';

/** Identifiers a fab writes on its travellers: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const LOT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A factor's name as the model knows it. */
export const FACTOR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** A FOUP carries at most 25 wafers. */
export const MAX_WAFERS_PER_LOT = 25;
export const MAX_FACTORS = 100;

/** Factor values by name: 1..100 names, each a finite number. */
export function IsFactorMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFactorMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length >= 1 &&
          Object.keys(value).length <= MAX_FACTORS &&
          Object.entries(value).every(([k, v]) => FACTOR_NAME.test(k) && typeof v === 'number' && Number.isFinite(v)),
        defaultMessage: (args) => `${args?.property ?? 'factors'} must map 1 to ${MAX_FACTORS} factor names to finite numbers (e.g. {"temperature": 350.5})`,
      },
    },
    options,
  );
}

/**
 * One lot row as a fab tracks it: a lot at a process step on a piece of equipment, assigned to the
 * set-up model that predicts it, with the factor values that model needs. The same lot, step and
 * model can be active once.
 */
export class LotRowFieldsV1 {
  /** The lot's id on its traveller (e.g. `A2412345.01`). */
  @IsString({ message: 'lotId must be a string' })
  @MinLength(1, { message: 'lotId is required' })
  @MaxLength(40, { message: 'lotId must be at most 40 characters' })
  @Matches(LOT_CODE, { message: 'lotId must be letters, digits, ".", "_" or "-", starting with a letter or digit' })
  lotId!: string;

  /** The product (device) the lot is built as (e.g. `DRAM-D1B-16G`). */
  @IsString({ message: 'product must be a string' })
  @MinLength(1, { message: 'product is required' })
  @MaxLength(64, { message: 'product must be at most 64 characters' })
  @Matches(LOT_CODE, { message: 'product must be letters, digits, ".", "_" or "-", starting with a letter or digit' })
  product!: string;

  /** The process step (operation) the row is about (e.g. `ETCH-120`). */
  @IsString({ message: 'processStep must be a string' })
  @MinLength(1, { message: 'processStep is required' })
  @MaxLength(64, { message: 'processStep must be at most 64 characters' })
  @Matches(LOT_CODE, { message: 'processStep must be letters, digits, ".", "_" or "-", starting with a letter or digit' })
  processStep!: string;

  /** The equipment (tool, chamber) the step runs on (e.g. `EQ-ETCH-07`). */
  @IsString({ message: 'equipment must be a string' })
  @MinLength(1, { message: 'equipment is required' })
  @MaxLength(64, { message: 'equipment must be at most 64 characters' })
  @Matches(LOT_CODE, { message: 'equipment must be letters, digits, ".", "_" or "-", starting with a letter or digit' })
  equipment!: string;

  /** Wafers in the lot, 1..25. */
  @IsInt({ message: 'waferCount must be an integer' })
  @Min(1, { message: 'waferCount must be at least 1' })
  @Max(MAX_WAFERS_PER_LOT, { message: `waferCount must be at most ${MAX_WAFERS_PER_LOT}` })
  waferCount!: number;

  /** The set-up model the row is assigned to; the adding user must have access to it. */
  @IsUUID('all', { message: 'setupModelId must be a UUID' })
  setupModelId!: string;

  /** The values of the model's factors for this lot at this step: every factor the model needs. */
  @IsObject({ message: 'factors must be an object of factor name → number' })
  @IsFactorMap()
  factors!: Record<string, number>;

  /** A free note (why the lot is tracked, a hold reason, …). */
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

export type LotRowStatus = 'active' | 'retired';

/** A lot row as the service answers it. */
export interface LotRowView {
  readonly rowId: string;
  readonly lotId: string;
  readonly product: string;
  readonly processStep: string;
  readonly equipment: string;
  readonly waferCount: number;
  readonly setupModelId: string;
  readonly factors: Record<string, number>;
  readonly note: string | null;
  readonly status: LotRowStatus;
  /** Bumped by each change; pass it back as `expectedVersion` to update without overwriting another's change. */
  readonly version: number;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
  readonly retiredReason: string | null;
}
