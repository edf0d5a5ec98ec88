export * from './tracing/index.js';
export { OPERATIONAL_PATHS, isOperationalPath } from './operational-paths.js';

export { createLogger, traceFields, type LogLevel } from './logging/logger.js';
export { LoggingModule, type LoggingModuleOptions } from './logging/logging.module.js';
export type { Logger as JsonLogger } from 'pino';
// Nest's LoggerService on the same pino logger: `app.useLogger(app.get(NestLogger))`.
export { NestLogger } from './logging/nest.logger.js';

export {
  configureMetrics,
  createMetricFactory,
  MetricConflictError,
  metrics,
  metricsRegistry,
  type HistogramDefinition,
  type MetricDefinition,
  type MetricFactory,
} from './metrics/metrics.js';
export { MetricsModule, type MetricsModuleOptions } from './metrics/metrics.module.js';

export {
  DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
  DuplicateHealthCheckError,
  runHealthChecks,
  type HealthCheck,
  type HealthCheckResult,
  type ReadinessReport,
} from './health/health-check.js';
export { HealthModule, type HealthModuleAsyncOptions, type HealthModuleOptions } from './health/health.module.js';
