import { spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { findExecutable, findPostgresBinaries, pathDirs, type PostgresBinaries } from './binaries.js';
import { bindAddress, isLocalHost, redactUrl, type PostgresTarget } from './config.js';
import { tailFile, type Output } from './output.js';
import { runChecked, runCommand, type StartedServer } from './processes.js';
import { tcpReachable, waitUntil } from './probe.js';

/** Postgres cannot be used or started as configured; the message says what to do. */
export class PostgresUnavailableError extends Error {
  override readonly name = 'PostgresUnavailableError';
}

export const POSTGRES_INSTALL_HINT =
  'Install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`; it provides initdb and pg_ctl ' +
  'under /usr/lib/postgresql/<version>/bin), or point DATABASE_URL at a running server.';

const UNDEFINED_DATABASE = '3D000';
const DUPLICATE_DATABASE = '42P04';

export interface PostgresContext {
  readonly target: PostgresTarget;
  readonly dataDir: string;
  readonly pathValue: string | undefined;
  readonly out: Output;
  readonly signal: AbortSignal;
  /** Takes ownership of a server before it is started, so a Ctrl-C during start-up still stops it. */
  readonly adopt: (server: StartedServer) => void;
}

/**
 * Makes sure Postgres answers at DATABASE_URL and its database exists: uses the server there,
 * or initialises and starts a local one when nothing listens on a local address.
 */
export async function ensurePostgres(ctx: PostgresContext): Promise<'reused' | 'started'> {
  const { target, out } = ctx;
  let outcome: 'reused' | 'started' = 'reused';
  if (await tcpReachable(target.host, target.port)) {
    out.info(`Postgres answers at ${target.host}:${target.port}`);
  } else if (!isLocalHost(target.host)) {
    throw new PostgresUnavailableError(
      `nothing answers at ${target.host}:${target.port} (DATABASE_URL) and it is not a local address, so no Postgres is started here`,
    );
  } else {
    await startLocalPostgres(ctx);
    outcome = 'started';
  }
  await ensureDatabase(target, out);
  return outcome;
}

/** Runs `select 1` in the configured database, creating the database first when it is missing. */
export async function ensureDatabase(target: PostgresTarget, out: Output): Promise<'exists' | 'created'> {
  try {
    await selectOne(target.url);
    return 'exists';
  } catch (error) {
    if ((error as { code?: string }).code !== UNDEFINED_DATABASE) {
      throw new PostgresUnavailableError(`Postgres at ${redactUrl(target.url)} (DATABASE_URL) does not accept the connection: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  out.info(`database "${target.database}" does not exist yet: creating it`);
  const admin = new pg.Client({ connectionString: withDatabase(target.url, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${quoteIdentifier(target.database)}`);
  } catch (error) {
    // Another runner or a test may have created it in the meantime: that is what we wanted.
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) {
      throw new PostgresUnavailableError(`could not create database "${target.database}" as ${target.user}: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  await selectOne(target.url);
  return 'created';
}

async function selectOne(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startLocalPostgres(ctx: PostgresContext): Promise<void> {
  const { target, out } = ctx;
  const binaries = findPostgresBinaries(ctx.pathValue);
  if (!binaries) {
    throw new PostgresUnavailableError(
      `nothing answers at ${target.host}:${target.port} (DATABASE_URL) and no initdb/pg_ctl was found.\n${POSTGRES_INSTALL_HINT}`,
    );
  }
  const pgDir = join(ctx.dataDir, 'postgres');
  const logFile = join(ctx.dataDir, 'postgres.log');
  const runner = await osUserRunner(ctx.pathValue);
  prepareDirectories(pgDir, logFile, runner);
  await runner.check(pgDir);

  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    out.info(`initialising a Postgres cluster in ${pgDir} (superuser ${target.user}, trust authentication)`);
    try {
      // The superuser is the user of DATABASE_URL, so the services connect as it without a password.
      await runner.run(binaries.initdb, ['-U', target.user, '--auth=trust', '--encoding=UTF8', '--no-locale', '-D', pgDir], pgDir);
    } catch (error) {
      throw new PostgresUnavailableError(
        `initdb failed (if an earlier attempt left ${pgDir} half-made, remove that folder and try again): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  out.info(`starting Postgres ${binaries.pgCtl} on ${target.host}:${target.port} (data ${pgDir}, log ${logFile})`);
  ctx.adopt(localServer(binaries, pgDir, runner));
  const serverOptions = [`-p ${target.port}`, `-k ${shellQuote(pgDir)}`, `-c listen_addresses=${shellQuote(bindAddress(target.host))}`].join(' ');
  try {
    await runner.run(binaries.pgCtl, ['-D', pgDir, '-o', serverOptions, '-l', logFile, '-w', '-t', '60', 'start'], pgDir);
  } catch (error) {
    throw new PostgresUnavailableError(`Postgres did not start: ${(error as Error).message}\nend of ${logFile}:\n${tailFile(logFile, 15).join('\n')}`, {
      cause: error,
    });
  }
  await waitUntil(async () => ((await tcpReachable(target.host, target.port, 500)) ? true : 'not listening yet'), {
    what: 'Postgres',
    timeoutMs: 15_000,
    signal: ctx.signal,
  });
  out.info(`Postgres is ready at ${target.host}:${target.port}`);
}

function localServer(binaries: PostgresBinaries, pgDir: string, runner: OsUserRunner): StartedServer {
  return {
    name: 'postgres',
    stop: async () => {
      await runner.run(binaries.pgCtl, ['-D', pgDir, '-m', 'fast', '-w', '-t', '30', 'stop'], pgDir);
    },
    killNow: () => {
      const [file, args] = runner.command(binaries.pgCtl, ['-D', pgDir, '-m', 'fast', '-W', 'stop']);
      spawnSync(file, args, { cwd: pgDir, stdio: 'ignore' });
    },
  };
}

/**
 * Runs Postgres programs as the right operating-system user. initdb and postgres refuse to run
 * as root (a server owned by root could be made to run anything as root), so when the runner is
 * root they run as the `postgres` user through `runuser`, and the data folder is handed to it.
 */
interface OsUserRunner {
  readonly owner?: { readonly uid: number; readonly gid: number };
  command(file: string, args: readonly string[]): [string, string[]];
  run(file: string, args: readonly string[], cwd: string): Promise<void>;
  /** Fails clearly when that user cannot write to the data folder (e.g. a parent closed to others). */
  check(pgDir: string): Promise<void>;
}

async function osUserRunner(pathValue: string | undefined): Promise<OsUserRunner> {
  const asSelf: OsUserRunner = {
    command: (file, args) => [file, [...args]],
    run: async (file, args, cwd) => {
      await runChecked(file, args, { cwd });
    },
    check: async () => undefined,
  };
  if (process.getuid?.() !== 0) return asSelf;

  const runuser = findExecutable('runuser', [...pathDirs(pathValue), '/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  const uid = await runCommand('id', ['-u', 'postgres']);
  const gid = await runCommand('id', ['-g', 'postgres']);
  if (!runuser || uid.code !== 0 || gid.code !== 0) {
    throw new PostgresUnavailableError(
      'running as root, and Postgres refuses to run as root: it needs a `postgres` user and `runuser` to run as it ' +
        '(the postgresql package creates that user), or run this as a normal user.',
    );
  }
  const command = (file: string, args: readonly string[]): [string, string[]] => [runuser, ['-u', 'postgres', '--', file, ...args]];
  return {
    owner: { uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) },
    command,
    run: async (file, args, cwd) => {
      const [wrapped, wrappedArgs] = command(file, args);
      await runChecked(wrapped, wrappedArgs, { cwd });
    },
    check: async (pgDir) => {
      const [wrapped, wrappedArgs] = command('test', ['-w', pgDir]);
      const result = await runCommand(wrapped, wrappedArgs, { cwd: '/' });
      if (result.code !== 0) {
        throw new PostgresUnavailableError(
          `the postgres user cannot write to ${pgDir} (a parent folder may be closed to other users); ` +
            'set VISTA_DATA_DIR to a folder it can reach, e.g. /tmp/vista-data',
        );
      }
    },
  };
}

function prepareDirectories(pgDir: string, logFile: string, runner: OsUserRunner): void {
  // A cluster not yet initialised is handed to the postgres user; an existing one keeps its owner.
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  closeSync(openSync(logFile, 'a'));
  if (runner.owner) {
    if (fresh) chownSync(pgDir, runner.owner.uid, runner.owner.gid);
    chownSync(logFile, runner.owner.uid, runner.owner.gid);
  }
}

/** The same connection URL pointing at another database (to create the configured one). */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** pg_ctl hands `-o` to a shell, so paths in it are quoted. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
