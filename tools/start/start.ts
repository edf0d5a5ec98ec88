// The local platform runner: `npm start`. Makes sure NATS (with JetStream) and Postgres answer,
// starting local ones when nothing listens, then runs every service as its own process.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadStartConfig, USAGE, type StartConfig } from './config.js';
import { createOutput, isAbortError } from './output.js';
import { EXPECTED_ERRORS, Platform } from './platform.js';

/** The repository root: the nearest folder above this file holding package.json (works from dist/ and from source). */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

async function main(): Promise<number> {
  const out = createOutput(Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined);
  let config: StartConfig;
  try {
    config = loadStartConfig(process.env, process.argv.slice(2), findRepoRoot(dirname(fileURLToPath(import.meta.url))));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out.error(`configuration error: ${error.message}`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const platform = new Platform(config, out);
  const controller = new AbortController();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!signalled) {
      signalled = true;
      out.info(`${signal} received: stopping (send it again to kill everything at once)`);
      controller.abort();
      return;
    }
    out.error(`${signal} received again: killing everything now`);
    platform.killNow();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => platform.killNow());

  let exitCode = 0;
  try {
    await platform.start(controller.signal);
    platform.printSummary();
    await platform.watch(controller.signal);
  } catch (error) {
    if (!(controller.signal.aborted && isAbortError(error))) {
      const expected = EXPECTED_ERRORS.some((type) => error instanceof type);
      out.error(expected ? (error as Error).message : ((error as Error).stack ?? String(error)));
      exitCode = 1;
    }
  }
  if (platform.hasRunning) {
    if (exitCode !== 0) out.error('stopping everything');
    await platform.stop();
    out.info(exitCode === 0 ? 'all stopped' : 'all stopped after a failure');
  }
  return exitCode;
}

process.exitCode = await main();
