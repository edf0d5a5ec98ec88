import { execFile } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './platform-processes.js';

const run = promisify(execFile);

/** A Postgres server of one test's own (its own data folder and port), for tests that stop or damage it. */
export interface PostgresCluster {
  readonly port: number;
  /** The test database (`vista`) on this server. */
  readonly url: string;
  /** The `postgres` maintenance database, for administration while the test database is busy. */
  readonly adminUrl: string;
  readonly dataDir: string;
  /** Stops the server (`fast`: backends are told to end; `immediate`: no checkpoint, like a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Terminates every client backend (pg_terminate_backend: SQLSTATE 57P01), as a failover or an administrator would; returns how many. */
  terminateBackends(): Promise<number>;
  /** Stops the server and removes its data folder. */
  destroy(): Promise<void>;
}

export interface PostgresClusterOptions {
  readonly maxConnections?: number;
}

/**
 * initdb and pg_ctl under a temporary folder, on a free port, with durability switched off (fsync,
 * full pages: a test cluster is thrown away). Postgres refuses to run as root: as root, its programs
 * run as the `postgres` user through runuser.
 */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = await postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  const command = (file: string, args: string[]): [string, string[]] =>
    owner ? ['runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args]] : [path.join(bin, file), args];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vista-pg-'));
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const pgData = path.join(dataDir, 'data');
  const port = await freePort();
  const exec = async (file: string, args: string[]) => {
    const [f, a] = command(file, args);
    await run(f, a, { cwd: dataDir, timeout: 60_000 });
  };
  await exec('initdb', ['-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync', '-D', pgData]);
  const serverOptions = [
    `-p ${port}`,
    `-k ${dataDir}`,
    "-c listen_addresses='127.0.0.1'",
    `-c max_connections=${options.maxConnections ?? 200}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = () => exec('pg_ctl', ['start', '-w', '-t', '60', '-D', pgData, '-l', path.join(dataDir, 'postgres.log'), '-o', serverOptions]);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => exec('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', pgData]);
  await start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await adminQuery(adminUrl, 'create database vista');
  let destroyed = false;
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/vista`,
    adminUrl,
    dataDir,
    stop,
    start,
    async terminateBackends() {
      const rows = await adminQuery(
        adminUrl,
        `select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`,
      );
      return rows.length;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop('immediate').catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** The folder holding initdb and pg_ctl: pg_config's answer, or initdb's on PATH, or the newest under /usr/lib/postgresql. */
async function postgresBinDir(): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // No pg_config: look on PATH and in the Debian layout.
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  try {
    const { stdout } = await run('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r']);
    candidates.push(...stdout.split('\n').filter(Boolean));
  } catch {
    // None there.
  }
  for (const dir of candidates) {
    try {
      accessSync(path.join(dir, 'initdb'), constants.X_OK);
      accessSync(path.join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {
      // Not this one.
    }
  }
  throw new Error('startPostgresCluster needs initdb and pg_ctl (install PostgreSQL server binaries)');
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root: startPostgresCluster needs a `postgres` user to run Postgres as');
  }
}
