import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandCall } from '@vista/bus';
import type { Response } from 'express';
import { correlationIdOf } from './correlation-id.middleware.js';

/** Until tokens are verified at the gateway, every caller is anonymous to the services. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** Who sends a command on behalf of this request, and under which correlation id. */
export const CommandCallOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): CommandCall => {
  const correlationId = correlationIdOf(ctx.switchToHttp().getResponse<Response>());
  if (!correlationId) throw new Error('the correlation-id middleware did not run for this route');
  return { actor: ANONYMOUS_ACTOR, correlationId };
});
