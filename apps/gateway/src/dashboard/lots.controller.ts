import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/route-policy.decorator.js';

const ASSETS = ['lots.html', 'lots.js', 'lots.css'] as const;

/** Next to this module (source or a build that copied them), else the source folder (the build emits only .js). */
function assetDirectory(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../../../../apps/gateway/src/dashboard/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => ASSETS.every((name) => existsSync(`${dir}${name}`)));
  if (!found) throw new Error(`lots page files (${ASSETS.join(', ')}) not found in ${candidates.join(' or ')}`);
  return found;
}

/** The lots page of the dashboard (lot rows, the daily batch's attempts with their progress, a date's results), read once at start-up. */
@ApiExcludeController()
@Public()
@Controller()
export class LotsPageController {
  private readonly files: Record<(typeof ASSETS)[number], string>;

  constructor() {
    const dir = assetDirectory();
    this.files = Object.fromEntries(ASSETS.map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')])) as LotsPageController['files'];
  }

  @Get('lots')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files['lots.html'];
  }

  @Get('lots.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files['lots.js'];
  }

  @Get('lots.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.files['lots.css'];
  }
}
