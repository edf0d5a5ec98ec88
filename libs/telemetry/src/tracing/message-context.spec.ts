import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { extractTraceContext, injectTraceContext, withConsumerSpan, withProducerSpan } from './message-context.js';
import { startTracing, type TracingHandle } from './start-tracing.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const destination = { 'messaging.destination.name': 'vista.evt.doe.7.DoeCompleted' };

describe('message trace context', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  let tracing: TracingHandle;
  // The process resource has asynchronous attributes (host.id), so ended spans reach the exporter later.
  const finishedSpans = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };

  beforeAll(() => {
    tracing = startTracing('message-context-spec', { spanProcessors: [processor], loaderHook: false });
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  it('round-trips a traceparent through extract and inject', () => {
    const ctx = extractTraceContext({ traceparent: TRACEPARENT, tracestate: 'vista=1' });
    const spanContext = trace.getSpanContext(ctx);
    expect(spanContext).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });

    const headers = context.with(ctx, injectTraceContext);
    expect(headers).toEqual({ traceparent: TRACEPARENT, tracestate: 'vista=1' });
  });

  it('reads trace headers whatever their case', () => {
    const spanContext = trace.getSpanContext(extractTraceContext({ TraceParent: TRACEPARENT }));
    expect(spanContext?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('yields no trace headers outside a span and no parent without headers', () => {
    expect(injectTraceContext()).toEqual({});
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
  });

  it('makes the consumer span a child of the producer span that stamped the headers', async () => {
    const headers = await withProducerSpan('send DoeCompleted', destination, () => injectTraceContext());
    await withConsumerSpan('process DoeCompleted', headers, { ...destination, 'messaging.consumer.group.name': 'projector' }, () => undefined);

    const [producer, consumer] = await finishedSpans();
    expect(producer).toMatchObject({ name: 'send DoeCompleted', kind: SpanKind.PRODUCER });
    expect(producer!.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.operation.type': 'send', ...destination });
    expect(consumer).toMatchObject({ name: 'process DoeCompleted', kind: SpanKind.CONSUMER });
    expect(consumer!.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.consumer.group.name': 'projector' });
    expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
  });

  it('continues the trace of the incoming headers in the consumer span', async () => {
    const traceId = await withConsumerSpan('process DoeCompleted', { traceparent: TRACEPARENT }, destination, (span) => span.spanContext().traceId);
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('records a failure of the handler on the span and rethrows it', async () => {
    const failure = new Error('projector table missing');
    await expect(withConsumerSpan('process DoeCompleted', undefined, destination, () => Promise.reject(failure))).rejects.toBe(failure);

    const [span] = await finishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'projector table missing' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });
});
