import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { injectTraceContext } from './message-context.js';
import { startTracing, tracesUrl, type TracingHandle } from './start-tracing.js';

describe('startTracing without an exporter', () => {
  let tracing: TracingHandle;

  beforeAll(() => {
    tracing = startTracing('start-tracing-spec', { loaderHook: false });
  });
  afterAll(() => tracing.shutdown());

  it('still gives spans real trace ids and propagates them as traceparent', () => {
    const { traceId, spanId, headers } = trace.getTracer('spec').startActiveSpan('work', (span) => {
      span.end();
      return { ...span.spanContext(), headers: injectTraceContext() };
    });

    expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
  });
});

describe('tracesUrl', () => {
  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/v1/traces', 'http://collector:4318/v1/traces'],
  ])('sends spans for endpoint %s to %s', (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });
});
