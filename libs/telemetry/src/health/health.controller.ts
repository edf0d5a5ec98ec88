import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import { runHealthChecks, type HealthCheck, type ReadinessReport } from './health-check.js';
import { Public } from '@vista/identity';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const HEALTH_CHECK_TIMEOUT_MS = Symbol('HEALTH_CHECK_TIMEOUT_MS');

/** The part of the platform's response object this controller uses (express and fastify both have it). */
interface StatusResponse {
  status(code: number): unknown;
}

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: readonly HealthCheck[],
    @Inject(HEALTH_CHECK_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  /** Answers while the event loop turns; nothing else is checked. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every dependency check passes, 503 with the failing ones otherwise. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) res: StatusResponse): Promise<ReadinessReport> {
    const report = await runHealthChecks(this.checks, this.timeoutMs);
    if (report.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
