import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/route-policy.decorator.js';

const ASSETS = ['model-metrics.html', 'model-metrics.js', 'model-metrics.css'] as const;

/** Next to this module (source or a build that copied them), else the source folder (the build emits only .js). */
function assetDirectory(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../../../../apps/gateway/src/dashboard/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => ASSETS.every((name) => existsSync(`${dir}${name}`)));
  if (!found) throw new Error(`model-metrics files (${ASSETS.join(', ')}) not found in ${candidates.join(' or ')}`);
  return found;
}

/** Chart.js's browser build, from the installed (pinned) package: never a CDN. */
function chartJs(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
}

/** The model-metrics page of the dashboard: its page, script and styles, and the chart library, read once at start-up. */
@ApiExcludeController()
@Public()
@Controller()
export class ModelMetricsPageController {
  private readonly files: Record<(typeof ASSETS)[number], string>;
  private readonly chart = chartJs();

  constructor() {
    const dir = assetDirectory();
    this.files = Object.fromEntries(ASSETS.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')])) as ModelMetricsPageController['files'];
  }

  @Get('model-metrics')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files['model-metrics.html'];
  }

  @Get('model-metrics.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files['model-metrics.js'];
  }

  @Get('model-metrics.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.files['model-metrics.css'];
  }

  @Get('vendor/chart.umd.min.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  chartLibrary(): string {
    return this.chart;
  }
}
