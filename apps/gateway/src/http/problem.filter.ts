import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONNECTION_LOST_RETRY_AFTER_S } from '@vista/contracts';
import { correlationIdOf } from './correlation-id.middleware.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';

/** The one place errors become responses: every error is `application/problem+json`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = toProblem(exception, { instance: requestPath(req), correlationId: correlationIdOf(res) });
    if (problem.status >= 500) {
      this.logger.error(
        { err: exception, correlationId: problem.correlationId, path: problem.instance },
        `${req.method} ${problem.instance} failed: ${problem.detail}`,
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    // Unavailable is passing (a database failing over, a service restarting): say when to come back.
    if (problem.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(CONNECTION_LOST_RETRY_AFTER_S));
    // RFC 6750: a 401 names the scheme that would work.
    if (problem.status === 401)
      res.setHeader('WWW-Authenticate', req.headers.authorization ? 'Bearer realm="vista", error="invalid_token"' : 'Bearer realm="vista"');
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  }
}

function requestPath(req: Request): string {
  const url = req.originalUrl ?? req.url ?? '/';
  return url.split('?', 1)[0]!;
}
