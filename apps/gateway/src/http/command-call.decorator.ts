import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandCall } from '@vista/bus';
import { serviceActor } from '@vista/contracts';
import { identityOf } from '@vista/identity';
import type { Request, Response } from 'express';
import { correlationIdOf } from './correlation-id.middleware.js';

/** Who sends a command for a request nobody logged in to (a public route): the gateway itself, with its service token. */
export const GATEWAY_ACTOR = serviceActor('gateway');

/**
 * Who sends a command on behalf of this request, and under which correlation id: the verified user,
 * whose token goes along (NATS header `Authorization`) so the service checks it again.
 */
export const CommandCallOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): CommandCall => {
  const http = ctx.switchToHttp();
  const correlationId = correlationIdOf(http.getResponse<Response>());
  if (!correlationId) throw new Error('the correlation-id middleware did not run for this route');
  const req = http.getRequest<Request>();
  const caller = identityOf(req);
  if (!caller) return { actor: GATEWAY_ACTOR, correlationId };
  return { actor: caller.sub, correlationId, authorization: req.headers.authorization };
});
