import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable, pathDirs } from './binaries.js';
import type { ServiceName, StartConfig } from './config.js';
import { tailFile, type Output } from './output.js';
import { exitOf, killGroup, terminate, type StartedServer } from './processes.js';
import { tcpReachable, waitUntil } from './probe.js';

export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_INSTALL_HINT =
  "Model latency and resource metrics need a Prometheus: install Debian's (`apt-get install -y prometheus`) and run `npm start` again, or set PROMETHEUS_URL to a running one.";

export interface PrometheusContext {
  readonly config: StartConfig;
  readonly out: Output;
  readonly signal: AbortSignal;
  readonly adopt: (server: StartedServer) => void;
}

/**
 * deploy/prometheus.yml (the compose file's config) with each service's compose address
 * (`ml:3104`) replaced by this run's local one, so one file says what is scraped.
 */
export function localPrometheusConfig(deployConfig: string, host: string, ports: Readonly<Record<ServiceName, number>>): string {
  return deployConfig.replace(/'([a-z-]+):(\d+)'/g, (whole, name: string) =>
    name in ports ? `'${host}:${ports[name as ServiceName]}'` : name === 'localhost' ? `'${host}:${PROMETHEUS_PORT}'` : whole,
  );
}

/**
 * Makes sure the metrics service has a Prometheus: the one at PROMETHEUS_URL when set, one already
 * on the local port, or Debian's `prometheus` binary started here with deploy/'s config. Without
 * any, says how to install one and goes on (latency collections are then recorded as failed).
 */
export async function ensurePrometheus(ctx: PrometheusContext): Promise<'configured' | 'reused' | 'started' | 'absent'> {
  const { config, out } = ctx;
  if (config.inheritedEnv.PROMETHEUS_URL) {
    out.info(`Prometheus: using PROMETHEUS_URL ${config.inheritedEnv.PROMETHEUS_URL}`);
    return 'configured';
  }
  if (await tcpReachable('127.0.0.1', PROMETHEUS_PORT)) {
    out.info(`Prometheus: something already answers on 127.0.0.1:${PROMETHEUS_PORT}; using it`);
    return 'reused';
  }
  const binary = findExecutable('prometheus', [...pathDirs(config.inheritedEnv.PATH), '/usr/bin', '/usr/local/bin']);
  if (!binary) {
    out.info(`Prometheus: not found. ${PROMETHEUS_INSTALL_HINT}`);
    return 'absent';
  }
  const dataDir = join(config.dataDir, 'prometheus');
  const configFile = join(config.dataDir, 'prometheus.yml');
  const logFile = join(config.dataDir, 'prometheus.log');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(configFile, localPrometheusConfig(readFileSync(join(config.repoRoot, 'deploy', 'prometheus.yml'), 'utf8'), '127.0.0.1', config.ports));
  out.info(`Prometheus: starting ${binary} on 127.0.0.1:${PROMETHEUS_PORT} (config ${configFile}, data ${dataDir}, log ${logFile})`);

  const log = openSync(logFile, 'a');
  const child = spawn(
    binary,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`, '--storage.tsdb.retention.time=15d'],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  // Not watched like NATS: without Prometheus the platform still works (collections are recorded as
  // failed and /api/v1/metrics/health says degraded), so its exit is reported, not fatal.
  const exited = exitOf(child);
  let exit: string | undefined;
  let stopping = false;
  void exited.then((reason) => {
    exit = reason;
    if (!stopping) out.error(`prometheus stopped by itself (${reason}); model metrics collections fail until it is back. Log: ${logFile}`);
  });
  ctx.adopt({
    name: 'prometheus',
    stop: async () => {
      stopping = true;
      await terminate(child, 10_000);
    },
    killNow: () => killGroup(child),
  });
  await waitUntil(
    async () => {
      if (exit !== undefined) throw new Error(`prometheus stopped during start-up (${exit}); end of ${logFile}:\n${tailFile(logFile, 15).join('\n')}`);
      const ready = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.ok,
        () => false,
      );
      return ready || 'not ready yet';
    },
    { what: 'prometheus', timeoutMs: 30_000, signal: ctx.signal, onProgress: (seconds, last) => out.info(`waiting for prometheus (${seconds} s, ${last})`) },
  );
  out.info(`Prometheus is ready at http://127.0.0.1:${PROMETHEUS_PORT}`);
  return 'started';
}
