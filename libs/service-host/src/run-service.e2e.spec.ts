import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CommandClient } from '@vista/bus';
import { RebuildReadModel } from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { createTestDatabase, createTestIdentity, freePort, type TestDatabase, testServers, uniqueNamespace, waitFor } from '@vista/testing';

// Real processes, Postgres and NATS on a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(60_000);

const FIXTURE = path.resolve('dist/libs/service-host/src/testing/fixture.service.js');

interface Run {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

describe('runService (a service process from dist)', () => {
  let database: TestDatabase;
  const runs: Run[] = [];

  beforeAll(async () => {
    if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} does not exist: run \`npm run build\` first`);
    database = await createTestDatabase('service_host');
  });
  afterEach(async () => {
    for (const { child, exited } of runs.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const run = (args: string[], env: Record<string, string>): Run => {
    const child = spawn(process.execPath, [FIXTURE, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, NATS_URL: testServers.natsUrl, VISTA_BUS_NAMESPACE: uniqueNamespace(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = { child, output, exited };
    runs.push(started);
    return started;
  };
  const serving = async (port: number, started: Run) => {
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/health/live`).then(
          (r) => r.ok,
          () => false,
        ),
      `fixture serving on ${port}:\n${started.output.join('\n')}`,
      30_000,
    );
  };

  it('migrates the schema it owns and exits when the command is migrate, reporting what ran', async () => {
    const first = run(['migrate'], { FIXTURE_SCHEMA: 'fixture_a' });
    expect(await first.exited).toBe(0);
    const again = run(['migrate'], { FIXTURE_SCHEMA: 'fixture_a' });
    expect(await again.exited).toBe(0);

    expect(first.output).toContain(JSON.stringify({ service: 'fixture', schema: 'fixture_a', migrated: ['2026-12-02T00:00_create-things'] }));
    expect(again.output).toContain(JSON.stringify({ service: 'fixture', schema: 'fixture_a', migrated: [] }));
    const db = createDatabase<any>({ url: database.url, poolMax: 1 });
    try {
      expect(await db.withSchema('fixture_a').selectFrom('things').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('has nothing to migrate without a schema, and refuses a command it does not know', async () => {
    const migrate = run(['migrate'], {});
    const unknown = run(['rebuild'], {});

    expect(await migrate.exited).toBe(0);
    expect(migrate.output).toContain(JSON.stringify({ service: 'fixture', schema: null, migrated: [] }));
    expect(await unknown.exited).toBe(1);
    expect(unknown.output).toContain('fixture failed to start: unknown command "rebuild" (expected nothing or "migrate")');
  });

  it('migrates, serves HTTP and its NATS commands, and on SIGTERM runs the shutdown hooks and exits 0', async () => {
    const port = await freePort();
    const namespace = uniqueNamespace();
    const identity = await createTestIdentity();
    const started = run([], { FIXTURE_SCHEMA: 'fixture_b', FIXTURE_COMMANDS: '1', HTTP_PORT: String(port), VISTA_BUS_NAMESPACE: namespace, ...identity.env });
    await serving(port, started);

    const client = new CommandClient(namespace, [testServers.natsUrl], 'fixture-test', {
      serviceAuthorization: async () => `Bearer ${await identity.serviceToken('fixture-test')}`,
    });
    await client.connect();
    try {
      const answer = await client.execute(RebuildReadModel, { reason: 'ping' }, { actor: 'service:test', correlationId: randomUUID(), timeoutMs: 10_000 });
      expect(answer).toEqual({ schema: 'fixture:ping', events: 0, durationMs: 0 });
    } finally {
      await client.close();
    }
    expect(started.output.join('\n')).toMatch(/migrated \\"fixture_b\\": 2026-12-02T00:00_create-things/);
    expect(started.output.join('\n')).toContain(`fixture listening on http://127.0.0.1:${port} (fixture)`);

    started.child.kill('SIGTERM');

    expect(await started.exited).toBe(0);
    expect(started.output).toContain('fixture: shutdown hooks ran');
  });

  it('exits 1 once the grace period is over when a shutdown hook never finishes', async () => {
    const port = await freePort();
    const started = run([], { FIXTURE_HANG_ON_SHUTDOWN: '1', HTTP_PORT: String(port) });
    await serving(port, started);

    started.child.kill('SIGTERM');

    expect(await started.exited).toBe(1);
    expect(started.output).toContain('fixture: shutdown took longer than 5000 ms, exiting');
  });
});
