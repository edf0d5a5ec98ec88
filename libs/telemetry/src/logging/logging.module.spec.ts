import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Logger, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggingModule } from './logging.module.js';
import { NestLogger } from './nest.logger.js';

@Controller()
class ProbeAndKitsController {
  private readonly logger = new Logger('Kits');

  @Get('kits')
  kits() {
    this.logger.log('listing kits');
    return [];
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }
}

describe('LoggingModule', () => {
  const lines: Record<string, unknown>[] = [];
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
    @Module({ imports: [LoggingModule.forRoot({ serviceName: 'gateway', level: 'info', destination })], controllers: [ProbeAndKitsController] })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    app.useLogger(app.get(NestLogger));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('logs application requests with the service name and request id, but not probes', async () => {
    await (await fetch(`${url}/health/live`)).text();
    const res = await fetch(`${url}/kits`, { headers: { 'x-request-id': 'req-42' } });
    await res.text();

    // pino-http writes on the response's 'finish' event, which may come after the client has the body.
    const requestLogs = await eventually(() => lines.filter((l) => l.msg === 'request completed'));
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(requestLogs).toEqual([
      expect.objectContaining({
        service: 'gateway',
        req: expect.objectContaining({ id: 'req-42', url: '/kits' }),
        res: expect.objectContaining({ statusCode: 200 }),
      }),
    ]);
  });

  it("writes Nest's own logs through the request's logger, with the context and the request id", async () => {
    const res = await fetch(`${url}/kits`, { headers: { 'x-request-id': 'req-43' } });
    await res.text();

    expect(lines.filter((l) => l.msg === 'listing kits' && (l.req as { id?: string } | undefined)?.id === 'req-43')).toEqual([
      expect.objectContaining({ service: 'gateway', level: 'info', context: 'Kits' }),
    ]);
  });

  it("writes Nest's logs outside a request through the root logger", () => {
    new Logger('Boot').log('started');

    const started = lines.filter((l) => l.msg === 'started');
    expect(started).toEqual([expect.objectContaining({ service: 'gateway', level: 'info', context: 'Boot' })]);
    expect(started[0]).not.toHaveProperty('req');
  });
});

async function eventually<T>(read: () => T[], timeoutMs = 1_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (read().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return read();
}
