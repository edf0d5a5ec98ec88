import { HttpException, HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * API bodies are JSON (or multipart for uploads). Anything else would reach validation as a
 * missing body; answering 415 says what is actually wrong.
 */
export function requireJsonOrMultipart(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!WITH_BODY.has(req.method) || !hasBody || req.is(['application/json', 'application/*+json', 'multipart/form-data'])) return next();
  next(new HttpException('the request body must be application/json (multipart/form-data for uploads)', HttpStatus.UNSUPPORTED_MEDIA_TYPE));
}
