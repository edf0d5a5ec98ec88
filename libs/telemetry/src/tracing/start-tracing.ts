import { register } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { isOperationalPath } from '../operational-paths.js';

/**
 * Modules the ESM loader hook wraps. Only these go through import-in-the-middle; everything else
 * loads untouched. CommonJS internals (pg-pool, pg/lib/client.js, express' router) are reached by
 * require-in-the-middle, which needs no hook.
 */
const HOOKED_MODULES = ['http', 'https', 'express', 'pg', 'pg-pool'];

export interface TracingOptions {
  /** Base OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. No endpoint, no export. */
  otlpEndpoint?: string;
  /** Extra span processors (an in-memory exporter in tests, for instance). */
  spanProcessors?: SpanProcessor[];
  /**
   * Register the ESM loader hook that lets ESM imports of express and pg be instrumented (default
   * true). Off only where it cannot or need not be: under Jest, which refuses `module.register`.
   */
  loaderHook?: boolean;
}

export interface TracingHandle {
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

let loaderHookRegistered = false;

/**
 * Starts OpenTelemetry for this process: W3C trace context, HTTP/express/pg instrumentation and,
 * when an endpoint is given, OTLP/HTTP export.
 *
 * It must run before express, pg or the application module are imported: the loader hook
 * registered here only sees modules imported after it, and ESM evaluates static imports first.
 * So a service's main.ts statically imports nothing but this library (and its config), calls
 * `startTracing`, then loads the application with a dynamic `await import('./app.js')`.
 */
export function startTracing(serviceName: string, opts: TracingOptions = {}): TracingHandle {
  if (opts.loaderHook ?? true) registerLoaderHook();

  const spanProcessors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  if (opts.otlpEndpoint) {
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl(opts.otlpEndpoint) }) }));
  }
  // NodeSDK registers no tracer provider without a span processor, and then nothing has a trace id
  // to log or to put in message headers; a no-op processor keeps ids without exporting anything.
  if (spanProcessors.length === 0) spanProcessors.push(new NoopSpanProcessor());

  const sdk = new NodeSDK({
    serviceName,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    spanProcessors,
    // Left unset, NodeSDK falls back to OTEL_* variables and defaults to OTLP metric and log
    // exporters; metrics go through prom-client and logs through pino instead.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => isOperationalPath(req.url),
      }),
      new ExpressInstrumentation(),
      // Queries outside a request or a message (pollers, the outbox relay) would each start a trace.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();

  return { shutdown: () => sdk.shutdown() };
}

/** The OTLP/HTTP traces URL for a base endpoint, the way the OTEL_EXPORTER_OTLP_ENDPOINT variable is read. */
export function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

/**
 * Registers the OpenTelemetry ESM loader hook from code, so no `--import`/`--experimental-loader`
 * flag is needed. `module.register` blocks until the hook thread is initialised, so modules
 * imported afterwards are wrapped.
 */
function registerLoaderHook(): void {
  if (loaderHookRegistered) return;
  loaderHookRegistered = true;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: [...HOOKED_MODULES] },
  });
}
