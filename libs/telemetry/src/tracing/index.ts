// Tracing alone: what a main.ts may import before the application, with no Nest, pino or prom-client.
export { startTracing, tracesUrl, type TracingHandle, type TracingOptions } from './start-tracing.js';
export { extractTraceContext, injectTraceContext, TRACER_NAME, withConsumerSpan, withProducerSpan, type MessagingSpanAttributes } from './message-context.js';
