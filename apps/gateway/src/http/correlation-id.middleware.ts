import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_ID_HEADER = 'Vista-Correlation-Id';

/**
 * Gives every API request a fresh correlation id: commands carry it to the services (and into the
 * events they append), and the response returns it so a caller can quote it.
 */
export function correlationId(req: Request, res: Response, next: NextFunction): void {
  const id = randomUUID();
  res.locals.correlationId = id;
  res.setHeader(CORRELATION_ID_HEADER, id);
  next();
}

/** The correlation id given to this request, if it went through the middleware. */
export function correlationIdOf(res: Response): string | undefined {
  const id: unknown = res.locals?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
