import type { NextFunction, Request, Response } from 'express';
import { isOperationalPath, metrics } from '@vista/telemetry';

const requestDuration = metrics.histogram<'method' | 'route' | 'status_code'>({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP requests served by the gateway, by route template.',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Records each request's duration by route template (never by raw path, which would explode the label set). */
export function httpMetrics(req: Request, res: Response, next: NextFunction): void {
  if (isOperationalPath(req.originalUrl)) return next();
  const stop = requestDuration.startTimer();
  res.once('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    stop({ method: req.method, route, status_code: String(res.statusCode) });
  });
  next();
}
