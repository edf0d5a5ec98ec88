import { ValidationPipe, type ValidationError as ClassValidationError } from '@nestjs/common';
import { type ErrorIssue, ValidationError } from '@vista/contracts';

/**
 * Validates every body, query and path DTO: unknown fields are rejected, values are converted
 * only by the DTOs' own transforms (no implicit coercion), and failures become an `invalid`
 * problem listing each field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
