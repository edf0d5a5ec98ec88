import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findExecutable, pathDirs } from './binaries.js';
import { bindAddress, isLocalHost, redactUrl, type NatsTarget } from './config.js';
import { tailFile, type Output } from './output.js';
import { exitOf, killGroup, terminate, type StartedServer } from './processes.js';
import { tcpReachable, waitUntil } from './probe.js';

/** NATS cannot be used as the platform needs it (absent, not NATS, or without JetStream). */
export class NatsUnavailableError extends Error {
  override readonly name = 'NatsUnavailableError';
}

export const NATS_INSTALL_HINT =
  'Install nats-server (Debian/Ubuntu: `apt-get install nats-server`; other systems: ' +
  'https://docs.nats.io/running-a-nats-service/introduction/installation), or point NATS_URL at a running server.';

/** Folders searched after PATH: Debian installs nats-server in /usr/sbin, which is not on every user's PATH. */
const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];

export interface NatsContext {
  readonly target: NatsTarget;
  readonly dataDir: string;
  readonly pathValue: string | undefined;
  readonly out: Output;
  readonly signal: AbortSignal;
  /** Takes ownership of a server as soon as it is spawned, so a Ctrl-C during the wait still stops it. */
  readonly adopt: (server: StartedServer) => void;
}

/**
 * Makes sure a JetStream-enabled NATS answers at NATS_URL: uses the one there, or starts a
 * local nats-server when nothing listens on a local address. Returns whether it started one.
 */
export async function ensureNats(ctx: NatsContext): Promise<'reused' | 'started'> {
  const { target, out } = ctx;
  if (await tcpReachable(target.host, target.port)) {
    const problem = await checkNats(target.url);
    if (problem) throw new NatsUnavailableError(problem);
    out.info(`NATS answers at ${redactUrl(target.url)} with JetStream enabled`);
    return 'reused';
  }
  if (!isLocalHost(target.host)) {
    throw new NatsUnavailableError(
      `nothing answers at ${target.host}:${target.port} (NATS_URL) and it is not a local address, so no nats-server is started here`,
    );
  }
  const binary = findExecutable('nats-server', [...pathDirs(ctx.pathValue), ...EXTRA_BIN_DIRS]);
  if (!binary) throw new NatsUnavailableError(`nothing answers at NATS_URL and no nats-server binary was found.\n${NATS_INSTALL_HINT}`);

  const storeDir = join(ctx.dataDir, 'nats');
  const logFile = join(ctx.dataDir, 'nats.log');
  mkdirSync(storeDir, { recursive: true });
  out.info(`nothing answers at ${redactUrl(target.url)}: starting ${binary} (JetStream data in ${storeDir}, log ${logFile})`);

  const server = spawnNats(binary, target, storeDir, logFile);
  ctx.adopt(server);
  let exit: string | undefined;
  void server.exited?.then((reason) => (exit = reason));
  await waitUntil(
    async () => {
      if (exit !== undefined) {
        throw new NatsUnavailableError(`nats-server stopped during start-up (${exit}); end of ${logFile}:\n${tailFile(logFile, 15).join('\n')}`);
      }
      if (!(await tcpReachable(target.host, target.port, 500))) return 'not listening yet';
      return (await checkNats(target.url)) ?? true;
    },
    {
      what: 'nats-server',
      timeoutMs: 20_000,
      signal: ctx.signal,
      onProgress: (seconds, last) => out.info(`waiting for nats-server (${seconds} s, ${last})`),
    },
  );
  out.info(`nats-server is ready at ${redactUrl(target.url)}`);
  return 'started';
}

/**
 * Connects for real and asks JetStream for the account info. Returns undefined when all is
 * well, else a sentence saying what is wrong.
 */
export async function checkNats(url: string): Promise<string | undefined> {
  let connection;
  try {
    connection = await connect({ servers: url, timeout: 3000, reconnect: false, name: 'vista-start' });
  } catch (error) {
    return `something listens at ${redactUrl(url)} (NATS_URL) but a NATS connection failed: ${(error as Error).message}`;
  }
  try {
    const manager = await jetstreamManager(connection);
    await manager.getAccountInfo();
    return undefined;
  } catch (error) {
    if ((error as Error).name === 'JetStreamNotEnabled') {
      return (
        `NATS at ${redactUrl(url)} answers but JetStream is not enabled. Vista keeps its events in JetStream: ` +
        'restart that server with `-js` (or `jetstream {}` in its config), or point NATS_URL elsewhere.'
      );
    }
    return `NATS at ${redactUrl(url)} answers but the JetStream account info call failed: ${(error as Error).message}`;
  } finally {
    await connection.close();
  }
}

function spawnNats(binary: string, target: NatsTarget, storeDir: string, logFile: string): StartedServer {
  const log = openSync(logFile, 'a');
  // Detached: a Ctrl-C in the terminal must reach only the runner, which stops the services
  // before the broker they drain into.
  const child = spawn(binary, ['-js', '-a', bindAddress(target.host), '-p', String(target.port), '-sd', storeDir, '-n', 'vista-local'], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  return {
    name: 'nats',
    exited: exitOf(child),
    stop: async () => {
      await terminate(child, 10_000);
    },
    killNow: () => killGroup(child),
  };
}
