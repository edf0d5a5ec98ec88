import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { isOperationalPath } from '../operational-paths.js';
import { createLogger, type LogLevel } from './logger.js';

export interface LoggingModuleOptions {
  serviceName: string;
  level: LogLevel;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

type Request = IncomingMessage & { originalUrl?: string };

/**
 * Nest logging on the logger from `createLogger`: request logs (probes and scrapes left out) and,
 * after `app.useLogger(app.get(NestLogger))`, Nest's own logs, all carrying trace ids.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingModuleOptions): DynamicModule {
    const logger = createLogger(options.serviceName, options.level, options.destination);
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot<Request, ServerResponse>({
          pinoHttp: {
            logger,
            genReqId: requestId,
            autoLogging: { ignore: (req) => isOperationalPath(req.originalUrl ?? req.url) },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

/** Keeps a caller's x-request-id, or makes one, and echoes it on the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && given.length > 0 && given.length <= 128 ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}
