import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { startTracing, type TracingHandle } from '../tracing/start-tracing.js';
import { createLogger } from './logger.js';

/** A pino destination keeping each JSON line parsed. */
function captureLines() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

describe('createLogger', () => {
  let tracing: TracingHandle;

  beforeAll(() => {
    tracing = startTracing('logger-spec', { loaderHook: false });
  });
  afterAll(() => tracing.shutdown());

  it('stamps lines inside an active span with its trace and span ids', () => {
    const { lines, stream } = captureLines();
    const logger = createLogger('deck', 'info', stream);

    const ids = trace.getTracer('spec').startActiveSpan('parse deck', (span) => {
      logger.info({ kitId: 7 }, 'deck parsed');
      span.end();
      return span.spanContext();
    });

    expect(lines).toEqual([
      expect.objectContaining({ service: 'deck', level: 'info', msg: 'deck parsed', kitId: 7, trace_id: ids.traceId, span_id: ids.spanId }),
    ]);
  });

  it('leaves trace fields out of lines logged outside a span', () => {
    const { lines, stream } = captureLines();
    createLogger('deck', 'info', stream).info('started');

    expect(lines[0]).toMatchObject({ service: 'deck', msg: 'started' });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });

  it('drops lines below the configured level', () => {
    const { lines, stream } = captureLines();
    const logger = createLogger('deck', 'warn', stream);
    logger.info('quiet');
    logger.warn('loud');

    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });

  it('never writes authorization headers', () => {
    const { lines, stream } = captureLines();
    createLogger('gateway', 'info', stream).info({ req: { headers: { authorization: 'Bearer secret' } } }, 'request');

    expect(JSON.stringify(lines[0])).not.toContain('secret');
  });
});
