import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type LogLevel = LevelWithSilent;

/** Fields pino never writes, so bearer tokens and cookies stay out of request logs. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/** Trace and span id of the active span, or nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * A JSON logger stamping every line with the service name and the active trace and span ids.
 * `destination` defaults to stdout.
 */
export function createLogger(serviceName: string, level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: serviceName, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names rather than numbers: log backends index them without a mapping.
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: traceFields,
    redact: REDACTED_PATHS,
  };
  return destination ? pino(options, destination) : pino(options);
}
