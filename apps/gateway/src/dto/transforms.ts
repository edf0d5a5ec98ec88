import { Transform } from 'class-transformer';

const DECIMAL_INTEGER = /^-?\d{1,16}$/;

/**
 * Converts a path or query string that is written as a decimal integer; anything else ('abc',
 * '1.5', '1e3', ' 7') is left as it is for the validators to reject, so no odd spelling slips
 * through as a number.
 */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value));

/**
 * A list given in a form field either repeated (`factors=a&factors=b`) or comma-separated
 * (`factors=a,b`); blanks are dropped.
 */
export const ToStringList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === null) return value;
    const parts = Array.isArray(value) ? value : [value];
    if (!parts.every((p) => typeof p === 'string')) return value;
    return (parts as string[])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
  });

/** Trims a text form field. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
