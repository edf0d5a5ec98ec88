import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as ClassValidationError } from 'class-validator';
import { ValidationError, type ErrorIssue } from './errors/vista-error.js';

export type ClassOf<T> = new () => T;

export interface ValidateOptions {
  /** Reject fields the class does not declare (commands, HTTP bodies). Events only strip them. */
  readonly forbidUnknown?: boolean;
}

/** Validates a plain value against a class-validator class; returns the typed instance or throws ValidationError. */
export function validateAs<T extends object>(cls: ClassOf<T>, value: unknown, what: string, options: ValidateOptions = {}): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${what} must be a JSON object`, [{ message: 'expected an object' }]);
  }
  const instance = plainToInstance(cls, value, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: options.forbidUnknown ?? false,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) {
    const issues = flattenIssues(errors);
    throw new ValidationError(`${what} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return instance;
}

function flattenIssues(errors: ClassValidationError[], prefix = ''): ErrorIssue[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenIssues(error.children ?? [], path)];
  });
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * Reads and validates environment variables once, at boot, into one typed config object built from
 * the given classes (each declares its variables with defaults). A bad value stops start-up with a
 * message naming the variable.
 */
export function loadEnvironment<const C extends readonly ClassOf<object>[]>(
  classes: C,
  env: Record<string, string | undefined>,
): UnionToIntersection<InstanceType<C[number]>> {
  const problems: string[] = [];
  const merged: Record<string, unknown> = {};
  for (const cls of classes) {
    const defaults = new cls() as Record<string, unknown>;
    const provided = Object.fromEntries(
      Object.entries(env)
        .filter(([key, value]) => key in defaults && value !== undefined && value !== '')
        .map(([key, value]) => [key, coerceLike(defaults[key], value!)]),
    );
    const instance = plainToInstance(cls, { ...defaults, ...provided });
    for (const e of validateSync(instance, { forbidUnknownValues: true })) {
      problems.push(`${e.property}=${JSON.stringify(env[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    }
    Object.assign(merged, instance);
  }
  if (problems.length > 0) throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return merged as UnionToIntersection<InstanceType<C[number]>>;
}

/** Environment values are strings: read them as numbers or booleans where the default is one. */
function coerceLike(fallback: unknown, value: string): unknown {
  if (typeof fallback === 'number') return value.trim() === '' ? value : Number(value);
  if (typeof fallback === 'boolean') return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
  return value;
}
