import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { isOperationalPath } from '../operational-paths.js';
import { createLogger, type LogLevel } from './logger.js';
import { NestLogger, ROOT_LOGGER, requestLoggers } from './nest.logger.js';

export interface LoggingModuleOptions {
  serviceName: string;
  level: LogLevel;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

type Request = IncomingMessage & { originalUrl?: string };

const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** Every route: express 5's path syntax, without the leading slash so a global prefix's root matches too. */
const ALL_ROUTES = { path: '{/*splat}', method: RequestMethod.ALL };

/**
 * Nest logging on the logger from `createLogger`: request logs (probes and scrapes left out) and,
 * after `app.useLogger(app.get(NestLogger))`, Nest's own logs, all carrying trace ids; inside a request
 * they also carry its request id.
 */
@Module({})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly httpLogger: HttpLogger<Request, ServerResponse>) {}

  static forRoot(options: LoggingModuleOptions): DynamicModule {
    const logger = createLogger(options.serviceName, options.level, options.destination);
    const httpLogger = pinoHttp<Request, ServerResponse>({
      logger,
      genReqId: requestId,
      autoLogging: { ignore: (req) => isOperationalPath(req.originalUrl ?? req.url) },
    });
    return {
      module: LoggingModule,
      global: true,
      providers: [{ provide: ROOT_LOGGER, useValue: logger }, { provide: HTTP_LOGGER, useValue: httpLogger }, NestLogger],
      exports: [ROOT_LOGGER, NestLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const httpLogger = this.httpLogger;
    consumer
      .apply((req: Request, res: ServerResponse, next: () => void) => httpLogger(req, res, () => requestLoggers.run(req.log, next)))
      .forRoutes(ALL_ROUTES);
  }
}

/** Keeps a caller's x-request-id, or makes one, and echoes it on the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && given.length > 0 && given.length <= 128 ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}
