import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

/** Name of the tracer every Vista span is started from. */
export const TRACER_NAME = 'vista';

/** Span attributes of a NATS publish or consume; the destination (subject) is required. */
export type MessagingSpanAttributes = Attributes & { 'messaging.destination.name': string };

type Carrier = Record<string, string>;

// NATS headers keep the case they were written with; look trace headers up case-insensitively.
const carrierGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    if (key in carrier) return carrier[key];
    const wanted = key.toLowerCase();
    const found = Object.keys(carrier).find((k) => k.toLowerCase() === wanted);
    return found === undefined ? undefined : carrier[found];
  },
};

/** W3C trace headers (traceparent, tracestate, baggage) of the active context, to put on an outgoing message. */
export function injectTraceContext(): Record<string, string> {
  const carrier: Carrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * The context carried by an incoming message's headers. It starts from the root context, not the
 * active one: a message belongs to the trace of whoever sent it, not to the loop that pulled it.
 */
export function extractTraceContext(carrier: Record<string, string> | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, carrierGetter);
}

/** Runs `fn` inside a PRODUCER span; trace headers injected within it make consumers its children. */
export function withProducerSpan<T>(name: string, attributes: MessagingSpanAttributes, fn: (span: Span) => T | Promise<T>): Promise<T> {
  return runInSpan(name, SpanKind.PRODUCER, { ...attributes, 'messaging.operation.type': 'send' }, context.active(), fn);
}

/** Runs `fn` inside a CONSUMER span whose parent is the trace context in the message headers. */
export function withConsumerSpan<T>(
  name: string,
  carrier: Record<string, string> | undefined,
  attributes: MessagingSpanAttributes,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  return runInSpan(name, SpanKind.CONSUMER, { ...attributes, 'messaging.operation.type': 'process' }, extractTraceContext(carrier), fn);
}

function runInSpan<T>(name: string, kind: SpanKind, attributes: Attributes, parent: Context, fn: (span: Span) => T | Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind, attributes: { 'messaging.system': 'nats', ...attributes } }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
