import { HttpException, HttpStatus } from '@nestjs/common';
import { type ErrorCode, type ErrorIssue, VistaError, isConnectionLost } from '@vista/contracts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://vista.dev/problems/';

/** RFC 9457 problem details, the body of every error the gateway answers. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  /** The request's correlation id (also in the `Vista-Correlation-Id` header), when it has one. */
  readonly correlationId?: string;
  readonly errors?: { path: string; message: string }[];
}

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

/**
 * Service error codes and their HTTP statuses. `invalid` is always 400, also for a deck the deck
 * service finds semantically wrong: one code, one status, whichever side found the problem.
 */
export const ERROR_CODE_PROBLEMS: Readonly<Record<ErrorCode, ProblemKind>> = {
  invalid: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  // A service that did not answer in time is unavailable to the caller, who repeats the request after Retry-After
  // (a change with the same Idempotency-Key, so one that went on to complete is answered, not done twice).
  timeout: { status: 503, title: 'Service did not answer in time' },
};

/** Problem codes of HTTP-level failures that no service reports (routing, limits, parsing). */
const HTTP_STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  411: 'length-required',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'invalid',
  429: 'rate-limited',
  500: 'internal',
  501: 'not-implemented',
  503: 'unavailable',
  504: 'timeout',
};

const HTTP_TITLES: Readonly<Record<string, string>> = {
  unauthenticated: 'Authentication required',
  'method-not-allowed': 'Method not allowed',
  'not-acceptable': 'Not acceptable',
  'request-timeout': 'Request timeout',
  'length-required': 'Length required',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'rate-limited': 'Too many requests',
  'not-implemented': 'Not implemented',
};

export interface ProblemContext {
  /** The request path the problem occurred on. */
  readonly instance: string;
  readonly correlationId?: string;
}

/** Postgres SQLSTATEs that mean "not there yet / not reachable" rather than a bug. */
const UNAVAILABLE_SQLSTATES = new Set(['42P01', '3F000', '57P01', '57P03', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Turns anything thrown while serving a request into a problem. Service errors keep their message;
 * unexpected errors are answered opaquely (their detail is logged, never sent).
 */
export function toProblem(exception: unknown, context: ProblemContext): Problem {
  if (exception instanceof VistaError) {
    const kind = ERROR_CODE_PROBLEMS[exception.code] ?? ERROR_CODE_PROBLEMS.internal;
    const detail = kind.status >= 500 && exception.code === 'internal' ? 'the service failed to handle the request' : exception.message;
    return build(exception.code, kind, detail, context, exception.issues);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'invalid');
    const title = ERROR_CODE_PROBLEMS[code as ErrorCode]?.title ?? HTTP_TITLES[code] ?? 'Request failed';
    return build(code, { status, title }, httpDetail(exception, status), context);
  }
  if (isUnavailableInfrastructure(exception)) {
    return build('unavailable', ERROR_CODE_PROBLEMS.unavailable, 'a backing service is not available; try again shortly', context);
  }
  return build('internal', ERROR_CODE_PROBLEMS.internal, 'an unexpected error occurred', context);
}

function build(code: string, kind: ProblemKind, detail: string, context: ProblemContext, issues?: readonly ErrorIssue[]): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: kind.title,
    status: kind.status,
    detail,
    instance: context.instance,
    ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    ...(issues?.length ? { errors: issues.map((i) => ({ path: i.path ?? '', message: i.message })) } : {}),
  };
}

/** Says what went wrong for HTTP-level failures, in words a client can act on. */
function httpDetail(exception: HttpException, status: number): string {
  const cause = exception.cause as { type?: string; limit?: number; code?: string } | undefined;
  if (status === HttpStatus.BAD_REQUEST && (cause instanceof SyntaxError || cause?.type === 'entity.parse.failed')) {
    return 'the request body is not valid JSON';
  }
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
    if (cause?.code === 'LIMIT_FILE_SIZE') return 'the uploaded file is larger than the gateway accepts';
    return typeof cause?.limit === 'number' ? `the request body is larger than ${cause.limit} bytes` : 'the request body is too large';
  }
  if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(exception.message)) {
    return `no such resource: ${exception.message.slice('Cannot '.length)}`;
  }
  if (status >= 500) return 'an unexpected error occurred';
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

function isUnavailableInfrastructure(exception: unknown): boolean {
  const code = (exception as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) || isConnectionLost(exception);
}
