import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemResponse } from '../dto/problem.response.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid path, query or body (unknown fields included); `errors` names each field.',
  401: 'No valid access token (`Authorization: Bearer <token>`): missing, malformed, expired or not issued by Vista.',
  403: 'The caller may not do this: the route needs a role the token does not hold, or the object is not theirs.',
  404: 'No such resource.',
  409: 'Conflicts with the current state (e.g. the kit already has a run in progress).',
  413: 'The body or file is larger than the gateway accepts.',
  422: 'The Idempotency-Key was already used for a different request.',
  429: 'Too many requests from this address; see `Retry-After`.',
  503: 'A service the request needs is not available or did not answer in time; repeat after `Retry-After` (with the same Idempotency-Key for a change).',
};

/** Documents the problem responses of an operation (`application/problem+json`); 401, 403 and 429 always. */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...[...new Set([...statuses, 401, 403, 429])]
      .sort((a, b) => a - b)
      .map((status) =>
        ApiResponse({
          status,
          description: DESCRIPTIONS[status] ?? 'Request failed.',
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } } },
        }),
      ),
  );
