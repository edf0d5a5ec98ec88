import { HttpException, HttpStatus } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { RateLimit } from '../config/gateway.config.js';

/**
 * Limits requests per client address and window, answering 429 through the problem filter with
 * `RateLimit`/`RateLimit-Policy` and `Retry-After` headers. Counts are kept per gateway replica.
 */
export function rateLimitMiddleware({ limit, windowMs }: RateLimit, what = 'requests'): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new HttpException(`at most ${limit} ${what} per ${windowMs / 1000} s from one address; retry later`, HttpStatus.TOO_MANY_REQUESTS)),
  });
}
