import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet from 'helmet';
import { createServiceApp, runService, type RunServiceOptions } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { AppModule, SERVICE_NAME } from './app.module.js';
import { type GatewayConfig, parseOrigins, parseRateLimit } from './config/gateway.config.js';
import { requireJsonOrMultipart } from './http/content-type.middleware.js';
import { answerClientErrorsAsProblems } from './http/client-error.js';
import { correlationId } from './http/correlation-id.middleware.js';
import { httpMetrics } from './http/http-metrics.middleware.js';
import { setupOpenApi } from './http/openapi.js';
import { ProblemFilter } from './http/problem.filter.js';
import { rateLimitMiddleware } from './http/rate-limit.middleware.js';
import { createValidationPipe } from './http/validation.pipe.js';

/** The routes AUTH_RATE_LIMIT applies to. */
export const LOGIN_ROUTES = ['/api/v1/auth/login'];

/** How long in-flight requests get to finish on SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * How the gateway runs on the service host: it owns no tables (it reads the projector's `read`
 * schema) and serves no NATS commands (it sends them).
 */
export const gatewayHostOptions = (config: GatewayConfig): Omit<RunServiceOptions<NestExpressApplication>, 'tracing' | 'command'> => ({
  name: SERVICE_NAME,
  module: AppModule.forRoot(config),
  config,
  commandServer: false,
  appOptions: { bodyParser: false },
  configure: (app) => configureHttp(app, config),
  shutdownGraceMs: SHUTDOWN_GRACE_MS,
  listeningNote: 'dashboard /, API docs /docs',
});

/** Runs the gateway until SIGTERM/SIGINT (`migrate` has nothing to do: it owns no tables). */
export function runGateway(config: GatewayConfig, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({ ...gatewayHostOptions(config), tracing, command });
}

/** Builds the gateway application, ready to `listen`. */
export function createGatewayApp(config: GatewayConfig): Promise<NestExpressApplication> {
  return createServiceApp(gatewayHostOptions(config));
}

/**
 * The order of the express middleware matters: the rate limit and the correlation id come before
 * the body is read, so an abusive or oversized request costs little and every API answer (errors
 * included) carries its correlation id.
 */
function configureHttp(app: NestExpressApplication, config: GatewayConfig): void {
  answerClientErrorsAsProblems(app.getHttpServer());
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', config.HTTP_TRUST_PROXY);
  app.use(httpMetrics);
  // Security headers on every answer; the dashboard and Swagger UI load only their own scripts.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } } }));
  const origins = parseOrigins(config.CORS_ORIGINS);
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'Vista-Correlation-Id', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }
  app.use('/api', correlationId);
  // Guessing passwords costs: the login routes have a limit of their own, below the general one.
  app.use(LOGIN_ROUTES, rateLimitMiddleware(parseRateLimit(config.AUTH_RATE_LIMIT), 'login attempts'));
  app.use('/api', rateLimitMiddleware(parseRateLimit(config.GATEWAY_RATE_LIMIT)));
  app.use('/api', requireJsonOrMultipart);
  const jsonTypes = ['application/json', 'application/*+json'];
  // Prediction rows may be larger than other bodies; the general parser then finds the body read.
  app.use('/api/v1/models/:modelId/predict', json({ limit: config.PREDICT_BODY_MAX_BYTES, type: jsonTypes }));
  app.useBodyParser('json', { limit: config.BODY_MAX_BYTES, type: jsonTypes });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
}
