import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { metrics } from './metrics.js';
import { MetricsModule } from './metrics.module.js';

describe('MetricsModule', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    @Module({ imports: [MetricsModule.forRoot({ serviceName: 'projector' })] })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('exposes the process registry as Prometheus text, labelled with the service', async () => {
    metrics.counter({ name: 'vista_spec_events_total', help: 'Events seen by the spec', labelNames: ['event_type'] }).inc({ event_type: 'DoeCompleted' });

    const res = await fetch(`${url}/metrics`);
    const body = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain('vista_spec_events_total{event_type="DoeCompleted",service="projector"} 1');
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{service="projector"\} /m);
  });
});
