import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HealthCheck } from './health-check.js';
import { HealthModule } from './health.module.js';

/** Stands in for a connection a service would build its checks from. */
@Injectable()
class FakeConnection {
  up = true;
}

@Module({ providers: [FakeConnection], exports: [FakeConnection] })
class ConnectionModule {}

const connectionCheck = (connection: FakeConnection): HealthCheck => ({
  name: 'nats',
  check: async () => ({ ok: connection.up, detail: { up: connection.up } }),
});

describe('HealthModule', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(healthModule: ReturnType<typeof HealthModule.forRoot>): Promise<string> {
    @Module({ imports: [healthModule] })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  it('answers liveness and readiness with checks built from injected dependencies', async () => {
    const url = await serve(
      HealthModule.forRootAsync({ imports: [ConnectionModule], inject: [FakeConnection], useFactory: (c: FakeConnection) => [connectionCheck(c)] }),
    );

    const live = await fetch(`${url}/health/live`);
    const ready = await fetch(`${url}/health/ready`);

    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', checks: { nats: { ok: true, detail: { up: true } } } }]);
  });

  it('answers 503 with the failing checks when a dependency is down or too slow', async () => {
    const url = await serve(
      HealthModule.forRoot({
        timeoutMs: 50,
        checks: [
          { name: 'postgres', check: () => Promise.reject(new Error('connection refused')) },
          { name: 'projector-lag', check: () => new Promise(() => undefined) },
        ],
      }),
    );

    const ready = await fetch(`${url}/health/ready`);

    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/json');
    expect(await ready.json()).toEqual({
      status: 'unavailable',
      checks: {
        postgres: { ok: false, error: 'connection refused' },
        'projector-lag': { ok: false, error: 'timed out after 50 ms' },
      },
    });
  });
});
