import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './platform-processes.js';

/** Debian's package (`apt-get install -y prometheus`); override with PROMETHEUS_BIN. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface PrometheusTarget {
  /** `host:port` of an endpoint serving `/metrics`. */
  readonly address: string;
  /** Extra labels of its samples (e.g. `{ service: 'ml' }`). */
  readonly labels?: Record<string, string>;
}

export interface TestPrometheus {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM); its data stays for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it is ready. */
  start(): Promise<void>;
  /** Scrapes these targets from now on (the config is rewritten and reloaded), once Prometheus lists them. */
  setTargets(targets: readonly PrometheusTarget[]): Promise<void>;
  /** Stops it and removes its data. */
  cleanup(): Promise<void>;
  readonly output: string[];
}

/** A real Prometheus of the test's own (free port, own data directory) scraping the given targets every `scrapeIntervalSeconds`. */
export async function startPrometheus(targets: readonly PrometheusTarget[], options: { scrapeIntervalSeconds?: number } = {}): Promise<TestPrometheus> {
  if (!existsSync(PROMETHEUS_BIN))
    throw new Error(`${PROMETHEUS_BIN} does not exist: install Prometheus (apt-get install -y prometheus) or set PROMETHEUS_BIN`);
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vista-prometheus-'));
  const configOf = (scraped: readonly PrometheusTarget[]) =>
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      '  - job_name: vista',
      '    static_configs:',
      ...(scraped.length === 0 ? ['      - targets: []'] : []),
      ...scraped.flatMap((t) => [`      - targets: ['${t.address}']`, `        labels: ${JSON.stringify(t.labels ?? {})}`]),
    ].join('\n') + '\n';
  await writeFile(path.join(dir, 'prometheus.yml'), configOf(targets));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (output.length > 100) output.splice(0, output.length - 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited early:\n${output.slice(-20).join('\n')}`);
      if (
        await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await sleep(100);
    }
    throw new Error(`prometheus was not ready within 30 s:\n${output.slice(-20).join('\n')}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url,
    port,
    output,
    start,
    stop,
    async setTargets(scraped) {
      await writeFile(path.join(dir, 'prometheus.yml'), configOf(scraped));
      child?.kill('SIGHUP');
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const body = (await fetch(`${url}/api/v1/targets`).then(
          (r) => r.json(),
          () => undefined,
        )) as { data?: { activeTargets?: { scrapeUrl: string }[] } } | undefined;
        const active = (body?.data?.activeTargets ?? []).map((t) => t.scrapeUrl);
        if (scraped.every((t) => active.some((u) => u.includes(`//${t.address}/`)))) return;
        await sleep(200);
      }
      throw new Error(`prometheus did not take the new targets within 30 s:\n${output.slice(-20).join('\n')}`);
    },
    async cleanup() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
