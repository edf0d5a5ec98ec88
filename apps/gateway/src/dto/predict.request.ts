import { ApiProperty } from '@nestjs/swagger';
import { MAX_PREDICT_ROWS } from '@vista/contracts';
import { registerDecorator } from 'class-validator';

type PredictRow = Record<string, number> | number[];

/** A row names at most this many factors, each name at most MAX_FACTOR_NAME characters. */
const MAX_ROW_VALUES = 256;
const MAX_FACTOR_NAME = 200;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The first problem with the rows, or undefined when they are fine. */
export function predictRowsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'rows must be an array';
  if (value.length === 0) return 'rows must hold at least one row';
  if (value.length > MAX_PREDICT_ROWS) return `rows may hold at most ${MAX_PREDICT_ROWS} rows`;
  for (const [i, row] of value.entries()) {
    if (Array.isArray(row)) {
      if (row.length > MAX_ROW_VALUES) return `rows.${i} may hold at most ${MAX_ROW_VALUES} values`;
      if (row.length === 0 || !row.every(isFiniteNumber)) return `rows.${i} must be a non-empty array of finite numbers (in the model's factor order)`;
    } else if (typeof row === 'object' && row !== null) {
      const keys = Object.keys(row);
      if (keys.length > MAX_ROW_VALUES) return `rows.${i} may name at most ${MAX_ROW_VALUES} factors`;
      if (keys.some((k) => k.length > MAX_FACTOR_NAME)) return `rows.${i}: factor names may be at most ${MAX_FACTOR_NAME} characters`;
      const values = Object.values(row);
      if (values.length === 0 || !values.every(isFiniteNumber)) return `rows.${i} must map factor names to finite numbers`;
    } else {
      return `rows.${i} must be an object of factor values or an array in factor order`;
    }
  }
  return undefined;
}

function IsPredictRows(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPredictRows',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args) => predictRowsProblem(args.value) ?? 'rows are invalid' },
      validator: { validate: (value: unknown) => predictRowsProblem(value) === undefined },
    });
}

/** Factor settings to predict the response of a model for. */
export class PredictRequest {
  @ApiProperty({
    description: `1 to ${MAX_PREDICT_ROWS} rows: objects by factor name, or arrays in the model's factor order (\`GET /models/{modelId}\`).`,
    type: 'array',
    minItems: 1,
    maxItems: MAX_PREDICT_ROWS,
    items: {
      oneOf: [
        { type: 'object', additionalProperties: { type: 'number' } },
        { type: 'array', items: { type: 'number' } },
      ],
    },
    example: [{ temperature: 40, pressure: 1.2 }, [55, 1.4]],
  })
  @IsPredictRows()
  rows!: PredictRow[];
}
