import {
  type CallHandler,
  Catch,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type PipeTransform,
  type RpcExceptionFilter,
  UseFilters,
  UseGuards,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import {
  type CommandDefinition,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type VerifiedActor,
  VistaError,
  type WireError,
  isConnectionLost,
  validateAs,
} from '@vista/contracts';
import { Observable, throwError } from 'rxjs';
import { CommandAccessGuard, CommandDefinitionOf, VERIFIED_SENDER } from './command-access.guard.js';
import type { CommandMessage } from './command-message.js';

/** Turns any error into the wire shape the gateway maps to problem+json; unknown errors stay opaque. */
@Catch()
export class CommandErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<WireError> {
    // A lost database connection is passing, not a bug: the caller is told to try again (503 at the gateway).
    const wire: WireError =
      exception instanceof VistaError
        ? exception.toWire()
        : isConnectionLost(exception)
          ? new UnavailableError('the service lost its database connection; try again shortly').toWire()
          : { code: 'internal', message: 'the service failed to handle the command' };
    return throwError(() => wire);
  }
}

/** Runs the handler inside a server span continuing the caller's trace (from NATS headers). */
@Injectable()
export class CommandTraceInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const nats = ctx.switchToRpc().getContext<NatsContext>();
    const headers = nats.getHeaders() as { get(key: string): string } | undefined;
    const carrier: Record<string, string> = {};
    for (const key of ['traceparent', 'tracestate']) {
      const value = headers?.get(key);
      if (value) carrier[key] = value;
    }
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    const span = trace.getTracer('vista').startSpan(
      `command ${nats.getSubject()}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': nats.getSubject() },
      },
      parent,
    );
    return new Observable((subscriber) =>
      context.with(trace.setSpan(parent, span), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        }),
      ),
    );
  }
}

/** Validates a command message and its payload against the contract (unknown fields rejected). */
export class CommandPipe<P extends object> implements PipeTransform<unknown, CommandMessage<P>> {
  constructor(private readonly definition: CommandDefinition<string, P>) {}

  transform(value: unknown): CommandMessage<P> {
    const message = value as (Partial<CommandMessage<unknown>> & { [VERIFIED_SENDER]?: VerifiedActor }) | undefined;
    // The sender was verified by CommandAccessGuard (@OnCommand); actor and roles come from its token, never the body.
    const sender = message?.[VERIFIED_SENDER];
    if (!sender) throw new UnauthenticatedError(`${this.definition.name} was not checked for who sent it`);
    if (typeof message.correlationId !== 'string') {
      throw new ValidationError(`${this.definition.name} must carry a correlationId`);
    }
    const payload = validateAs(this.definition.payload, message.payload, this.definition.name, { forbidUnknown: true });
    return { payload, actor: sender.id, roles: sender.roles, correlationId: message.correlationId };
  }
}

/**
 * Marks a method as the handler of a command: subscribes `<ns>.cmd.<context>.<Command>` (in the
 * service's queue group), verifies who sent it against the command's `access` (CommandAccessGuard),
 * continues the caller's trace and maps errors to their wire shape.
 */
export const OnCommand = (definition: CommandDefinition): MethodDecorator =>
  applyDecorators(
    MessagePattern(definition.pattern),
    CommandDefinitionOf(definition),
    UseGuards(CommandAccessGuard),
    UseInterceptors(CommandTraceInterceptor),
    UseFilters(new CommandErrorFilter()),
  );

/** The handler's argument: the validated command message. */
export const CommandInput = <P extends object>(definition: CommandDefinition<string, P>): ParameterDecorator => Payload(new CommandPipe(definition));
