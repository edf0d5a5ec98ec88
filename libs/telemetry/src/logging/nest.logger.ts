import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/** Injection token of the service's root pino logger (the one `createLogger` made). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The request's pino logger (carrying its request id) while a request is being handled. */
export const requestLoggers = new AsyncLocalStorage<Logger>();

/**
 * Nest's `LoggerService` on pino: `app.useLogger(app.get(NestLogger))` sends Nest's own logs, and those of
 * every `new Logger(context)`, through the request's logger inside a request and the root logger outside one.
 * Nest passes the context as the last parameter; it becomes the line's `context` field.
 */
@Injectable()
export class NestLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly root: Logger) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    const logger = requestLoggers.getStore() ?? this.root;
    const fields: Record<string, unknown> = {};
    let params = optionalParams;
    if (params.length > 0) {
      fields['context'] = params[params.length - 1];
      params = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields['err'] = message;
      logger[level](fields, ...(params as [string?]));
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...message, ...fields }, ...(params as [string?]));
    } else if (level === 'error' && isStackTrace(params)) {
      // Nest's exception handlers call error(message, stack, context).
      const err = new Error(String(message));
      err.stack = params[0] as string;
      logger[level]({ ...fields, err });
    } else {
      logger[level](fields, String(message), ...params);
    }
  }
}

function isStackTrace(params: unknown[]): boolean {
  return params.length === 1 && typeof params[0] === 'string' && /\n\s*at /.test(params[0]);
}
