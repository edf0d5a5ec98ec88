import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** The folders of a PATH value, in order, empty entries dropped. */
export function pathDirs(pathValue: string | undefined): string[] {
  return (pathValue ?? '').split(delimiter).filter((dir) => dir.length > 0);
}

/** The first executable file called `name` in `dirs`, or undefined. */
export function findExecutable(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/**
 * Finds initdb and pg_ctl of one Postgres installation: on PATH first (pg_ctl taken from
 * the folder initdb really lives in, so both are the same version), else the newest
 * Debian-style `<pgRoot>/<version>/bin`.
 */
export function findPostgresBinaries(pathValue: string | undefined, pgRoot = '/usr/lib/postgresql'): PostgresBinaries | undefined {
  const dirs = pathDirs(pathValue);
  const initdb = findExecutable('initdb', dirs);
  if (initdb) {
    const pgCtl = findExecutable('pg_ctl', [dirname(realpathSync(initdb)), ...dirs]);
    if (pgCtl) return { initdb, pgCtl };
  }
  for (const version of installedVersions(pgRoot)) {
    const bin = join(pgRoot, version, 'bin');
    const found = { initdb: findExecutable('initdb', [bin]), pgCtl: findExecutable('pg_ctl', [bin]) };
    if (found.initdb && found.pgCtl) return { initdb: found.initdb, pgCtl: found.pgCtl };
  }
  return undefined;
}

/** Version folders under pgRoot, newest first (numeric order: 16 before 9.6). */
function installedVersions(pgRoot: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(pgRoot);
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+(\.\d+)?$/.test(name)).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
