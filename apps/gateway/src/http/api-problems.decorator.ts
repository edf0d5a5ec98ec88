import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemResponse } from '../dto/problem.response.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid path, query or body (unknown fields included); `errors` names each field.',
  403: 'The caller may not do this.',
  404: 'No such resource.',
  409: 'Conflicts with the current state (e.g. the kit already has a run in progress).',
  413: 'The body or file is larger than the gateway accepts.',
  422: 'The Idempotency-Key was already used for a different request.',
  429: 'Too many requests from this address; see `Retry-After`.',
  503: 'A service the request needs is not available.',
  504: 'The service did not answer in time.',
};

/** Documents the problem responses of an operation (`application/problem+json`). */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...[...new Set([...statuses, 429])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Request failed.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } } },
      }),
    ),
  );
