import { type ArgumentMetadata, ValidationPipe, type ValidationError as ClassValidationError } from '@nestjs/common';
import { type ErrorIssue, ValidationError } from '@vista/contracts';

/** No request body of Vista's nests deeper than this; a deeper one is refused before it is transformed. */
export const MAX_BODY_DEPTH = 32;

/**
 * The nesting depth of a JSON value (a scalar is 0), counted without recursion and only up to
 * `limit + 1`, so a body nested 10,000 levels deep costs nothing and overflows no stack.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The validation pipe, refusing a body nested deeper than any DTO before class-transformer recurses into it. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && nestingDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      throw new ValidationError(`the request body nests deeper than ${MAX_BODY_DEPTH} levels`, [
        { path: 'body', message: `nested more than ${MAX_BODY_DEPTH} levels deep` },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Validates every body, query and path DTO: unknown fields are rejected, values are converted
 * only by the DTOs' own transforms (no implicit coercion), and failures become an `invalid`
 * problem listing each field. A body nested deeper than MAX_BODY_DEPTH is refused first.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const issues = validationIssues(errors);
      return new ValidationError(issues.map((i) => i.message).join('; ') || 'the request is invalid', issues);
    },
  });
}

/** Flattens class-validator errors into `{path, message}` pairs (`params.alpha`, `factors.1`). */
export function validationIssues(errors: readonly ClassValidationError[], prefix = ''): ErrorIssue[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...validationIssues(error.children ?? [], path)];
  });
}
