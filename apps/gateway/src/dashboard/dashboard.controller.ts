import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/route-policy.decorator.js';

const ASSETS = ['index.html', 'dashboard.js', 'dashboard.css'] as const;

/**
 * Where the dashboard's files are: next to this module when run from source (or when a build
 * copied them), otherwise in the source folder, since the TypeScript build emits only .js.
 */
function assetDirectory(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../../../../apps/gateway/src/dashboard/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => ASSETS.every((name) => existsSync(`${dir}${name}`)));
  if (!found) throw new Error(`dashboard files (${ASSETS.join(', ')}) not found in ${candidates.join(' or ')}`);
  return found;
}

/** Serves the static dashboard: a page, a script and a style sheet, read once at start-up. */
@Public()
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly files: Record<(typeof ASSETS)[number], string>;

  constructor() {
    const dir = assetDirectory();
    this.files = Object.fromEntries(ASSETS.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')])) as DashboardController['files'];
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files['index.html'];
  }

  @Get('dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files['dashboard.js'];
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.files['dashboard.css'];
  }
}
