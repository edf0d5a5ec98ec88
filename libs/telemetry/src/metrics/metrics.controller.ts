import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './metrics.js';
import { Public } from '@vista/identity';

@Public()
@Controller()
export class MetricsController {
  /** Prometheus text exposition of the process registry. */
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
