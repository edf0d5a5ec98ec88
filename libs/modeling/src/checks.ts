import { ValidationError } from '@vista/contracts';

/** Throws a ValidationError naming `path`. */
export function invalid(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

/** Checks a design matrix: a non-empty array of equally long rows of finite numbers. Returns its shape. */
export function checkMatrix(X: unknown, path = 'X'): { rows: number; columns: number } {
  if (!Array.isArray(X) || X.length === 0) invalid(path, 'expected a non-empty array of rows');
  const first = X[0];
  if (!Array.isArray(first) || first.length === 0) invalid(`${path}[0]`, 'expected a non-empty array of numbers');
  const columns = first.length;
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (!Array.isArray(row) || row.length !== columns) invalid(`${path}[${i}]`, `expected an array of ${columns} numbers`);
    for (let j = 0; j < columns; j++) {
      const value = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${path}[${i}][${j}]`, `expected a finite number, got ${String(value)}`);
    }
  }
  return { rows: X.length, columns };
}

/** Checks a vector of finite numbers, of length `length` when given. */
export function checkVector(y: unknown, length: number | undefined, path = 'y'): number[] {
  if (!Array.isArray(y)) invalid(path, 'expected an array of numbers');
  if (length !== undefined && y.length !== length) invalid(path, `expected ${length} values (one per row), got ${y.length}`);
  for (let i = 0; i < y.length; i++) {
    const value = y[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${path}[${i}]`, `expected a finite number, got ${String(value)}`);
  }
  return y as number[];
}

/** Checks an integer in [min, max]. */
export function checkInteger(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(path, `expected an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks a finite number in [min, max] (bounds optional, inclusive). */
export function checkNumber(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range =
      Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` ≥ ${min}` : Number.isFinite(max) ? ` ≤ ${max}` : '';
    invalid(path, `expected a finite number${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks one of a fixed set of strings. */
export function checkOneOf<const T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(path, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Formats a count for messages: 100000 → "100,000". */
export const fmtCount = (n: number): string => n.toLocaleString('en-US');

/** Formats a number for messages with up to 6 significant digits. */
export const fmtValue = (x: number): string => String(Number(x.toPrecision(6)));
