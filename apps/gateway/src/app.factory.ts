import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { NestLogger } from '@vista/telemetry';
import { AppModule } from './app.module.js';
import { type GatewayConfig, parseRateLimit } from './config/gateway.config.js';
import { requireJsonOrMultipart } from './http/content-type.middleware.js';
import { correlationId } from './http/correlation-id.middleware.js';
import { httpMetrics } from './http/http-metrics.middleware.js';
import { setupOpenApi } from './http/openapi.js';
import { ProblemFilter } from './http/problem.filter.js';
import { rateLimitMiddleware } from './http/rate-limit.middleware.js';
import { createValidationPipe } from './http/validation.pipe.js';

/**
 * Builds the gateway application, ready to `listen`. The order of the express middleware matters:
 * the rate limit and the correlation id come before the body is read, so an abusive or oversized
 * request costs little and every API answer (errors included) carries its correlation id.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(NestLogger));
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('trust proxy', config.HTTP_TRUST_PROXY);
  app.use(httpMetrics);
  app.use('/api', correlationId);
  app.use('/api', rateLimitMiddleware(parseRateLimit(config.GATEWAY_RATE_LIMIT)));
  app.use('/api', requireJsonOrMultipart);
  const jsonTypes = ['application/json', 'application/*+json'];
  // Prediction rows may be larger than other bodies; the general parser then finds the body read.
  app.use('/api/v1/models/:modelId/predict', json({ limit: config.PREDICT_BODY_MAX_BYTES, type: jsonTypes }));
  app.useBodyParser('json', { limit: config.BODY_MAX_BYTES, type: jsonTypes });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  return app;
}

// main.ts loads the application lazily (after tracing starts) and takes the logger class from here.
export { NestLogger } from '@vista/telemetry';
