import { createHash } from 'node:crypto';
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { type CommandIdempotencyV1, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_TTL_HOURS, ValidationError } from '@vista/contracts';
import type { Request } from 'express';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Validates the `Idempotency-Key` header of a request: undefined when there is none. */
export function idempotencyKeyOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new ValidationError(`the ${IDEMPOTENCY_KEY_HEADER} header must be one value of 1 to 200 printable ASCII characters`, [
      { path: `header ${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1..200 printable ASCII characters' },
    ]);
  }
  return value;
}

/** The request's validated `Idempotency-Key`, or undefined. */
export const IdempotencyKeyOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  const request = ctx.switchToHttp().getRequest<Request>();
  // Node joins repeated headers with ", "; the raw list tells a repeated header from one holding a comma.
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]!.toLowerCase() === 'idempotency-key') values.push(request.rawHeaders[i + 1]!);
  }
  return idempotencyKeyOf(values.length > 1 ? values : values[0]);
});

/** Documents the optional `Idempotency-Key` header of a state-changing operation. */
export const ApiIdempotencyKey = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        `A key of your choosing (1 to 200 printable ASCII characters, e.g. a UUID) that makes the request safe to repeat: the same key ` +
        `with the same request within ${IDEMPOTENCY_TTL_HOURS} hours answers with the first answer (same status and body) and does nothing ` +
        'again, also when the first attempt got 503 (timeout) but went on to complete. The same key with another request is 422. Keys are ' +
        'scoped to the caller and to this route.',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: IDEMPOTENCY_KEY_PATTERN.source },
    }),
  );

/**
 * The idempotency of a command sent for a keyed request: the route template and a SHA-256 over the
 * canonical request (route, path parameters and body, object keys sorted), so equal requests match
 * however their JSON was written.
 */
export function keyedCommand(key: string | undefined, route: string, request: unknown): CommandIdempotencyV1 | undefined {
  if (key === undefined) return undefined;
  const requestDigest = createHash('sha256').update(canonicalJson({ route, request })).digest('hex');
  return { key, route, requestDigest };
}

/** JSON with object keys sorted and undefined members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member !== null && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(
          Object.entries(member)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : member,
  );
}
