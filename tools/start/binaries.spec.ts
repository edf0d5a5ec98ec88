import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findExecutable, findPostgresBinaries, pathDirs } from './binaries.js';

describe('binaries', () => {
  let root: string;
  const dir = (...parts: string[]) => join(root, ...parts);
  const executable = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, 0o755);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vista-start-bin-'));
    executable(dir('bin-a', 'nats-server'));
    executable(dir('bin-b', 'nats-server'));
    mkdirSync(dir('bin-plain'));
    writeFileSync(dir('bin-plain', 'nats-server'), 'not executable');
    mkdirSync(dir('bin-dir', 'nats-server'), { recursive: true });

    // A Debian-style layout: two installed versions, and a PATH folder linking to one of them.
    for (const version of ['9.6', '15', '16']) {
      executable(dir('pg', version, 'bin', 'initdb'));
      executable(dir('pg', version, 'bin', 'pg_ctl'));
    }
    mkdirSync(dir('local-bin'));
    symlinkSync(dir('pg', '15', 'bin', 'initdb'), dir('local-bin', 'initdb'));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe('pathDirs', () => {
    it('splits PATH and drops empty entries', () => {
      expect(pathDirs(['/a', '', '/b'].join(delimiter))).toEqual(['/a', '/b']);
      expect(pathDirs(undefined)).toEqual([]);
    });
  });

  describe('findExecutable', () => {
    it('returns the first executable file in PATH order', () => {
      expect(findExecutable('nats-server', [dir('bin-b'), dir('bin-a')])).toBe(dir('bin-b', 'nats-server'));
    });

    it('skips files that are not executable and folders with the same name', () => {
      expect(findExecutable('nats-server', [dir('bin-plain'), dir('bin-dir'), dir('bin-a')])).toBe(dir('bin-a', 'nats-server'));
    });

    it('returns undefined when no folder has it', () => {
      expect(findExecutable('nats-server', [dir('bin-plain'), dir('missing')])).toBeUndefined();
    });
  });

  describe('findPostgresBinaries', () => {
    it('takes initdb from PATH and pg_ctl from the installation it links to', () => {
      expect(findPostgresBinaries(dir('local-bin'), dir('pg'))).toEqual({
        initdb: dir('local-bin', 'initdb'),
        pgCtl: dir('pg', '15', 'bin', 'pg_ctl'),
      });
    });

    it('falls back to the newest version folder when PATH has no initdb', () => {
      expect(findPostgresBinaries(dir('bin-a'), dir('pg'))).toEqual({
        initdb: dir('pg', '16', 'bin', 'initdb'),
        pgCtl: dir('pg', '16', 'bin', 'pg_ctl'),
      });
    });

    it('returns undefined when Postgres is not installed', () => {
      expect(findPostgresBinaries(dir('bin-a'), dir('no-postgres-here'))).toBeUndefined();
    });
  });
});
