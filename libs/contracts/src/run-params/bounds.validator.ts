import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Factor name → `[low, high]`: the range a design, a model or an optimiser works in. */
export type FactorBounds = Record<string, [number, number]>;

const MAX_FACTORS = 64;
const MAX_FACTOR_NAME = 200;

/** The first problem with a bounds object, or undefined when it is valid. */
export function boundsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of factor name → [low, high]';
  const entries = Object.entries(value);
  if (entries.length === 0) return 'must name at least one factor';
  if (entries.length > MAX_FACTORS) return `may name at most ${MAX_FACTORS} factors`;
  for (const [factor, range] of entries) {
    if (factor.length > MAX_FACTOR_NAME) return `factor names may be at most ${MAX_FACTOR_NAME} characters`;
    if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return `${factor} must be [low, high] with two finite numbers`;
    }
    if (!(range[0] < range[1])) return `${factor}: low (${range[0]}) must be below high (${range[1]})`;
  }
  return undefined;
}

/** Validates a `FactorBounds` object; the message names the factor whose range is wrong. */
export function IsFactorBounds(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFactorBounds',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args: ValidationArguments) => `${args.property} ${boundsProblem(args.value) ?? 'is invalid'}` },
      validator: { validate: (value: unknown) => boundsProblem(value) === undefined },
    });
}
