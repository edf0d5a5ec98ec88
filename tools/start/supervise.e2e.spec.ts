import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestDatabase, createTestDatabase, freePort, testServers, uniqueNamespace, waitFor } from '@vista/testing';

/** The services `npm start` runs, and the variable naming each one's port. */
const PORT_VARIABLES = {
  gateway: 'GATEWAY_HTTP_PORT',
  deck: 'DECK_HTTP_PORT',
  projector: 'PROJECTOR_HTTP_PORT',
  doe: 'DOE_HTTP_PORT',
  ml: 'ML_HTTP_PORT',
  optimize: 'OPTIMIZE_HTTP_PORT',
  auth: 'AUTH_HTTP_PORT',
  metrics: 'METRICS_HTTP_PORT',
  'lot-tracking': 'LOT_TRACKING_HTTP_PORT',
} as const;
type Service = keyof typeof PORT_VARIABLES;
/** The services killed in turn (E2E_KILL_SERVICES: a comma-separated list, or `all`). */
const VICTIMS: Service[] =
  (process.env.E2E_KILL_SERVICES ?? 'doe') === 'all'
    ? (Object.keys(PORT_VARIABLES) as Service[])
    : ((process.env.E2E_KILL_SERVICES ?? 'doe').split(',') as Service[]);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start supervises the services', () => {
  let db: TestDatabase;
  let runner: ChildProcess;
  let output = '';
  const ports = {} as Record<Service, number>;

  /** Each service's pid, from the runner's "<name> is ready (pid N, …)" lines (the latest one wins). */
  const pids = (): Record<string, number> => {
    const found: Record<string, number> = {};
    for (const match of output.matchAll(/(?<![\w-])([\w-]+) is (?:back and )?ready \(pid (\d+)/g)) found[match[1]!] = Number(match[2]);
    return found;
  };

  beforeAll(async () => {
    db = await createTestDatabase('start');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      NATS_URL: testServers.natsUrl,
      VISTA_BUS_NAMESPACE: uniqueNamespace(),
      LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    for (const [service, variable] of Object.entries(PORT_VARIABLES)) {
      ports[service as Service] = await freePort();
      env[variable] = String(ports[service as Service]);
    }
    runner = spawn(process.execPath, [path.resolve('dist/tools/start/start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    runner.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    runner.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // A bound on waiting (eight services start one after another; slow on a loaded machine), not a performance assertion.
    const exitedEarly = once(runner, 'exit').then(([code, signal]) =>
      Promise.reject(new Error(`npm start exited (${code ?? signal}) before the platform ran`)),
    );
    await Promise.race([waitFor(async () => output.includes('Press Ctrl-C to stop'), 'the platform to run', 400_000, 200), exitedEarly]).catch((error: Error) =>
      Promise.reject(new Error(`${error.message}\n${output.slice(-3000)}`)),
    );
  }, 420_000);

  afterAll(async () => {
    if (runner && runner.exitCode === null) {
      runner.kill('SIGINT');
      await once(runner, 'exit');
    }
    await db?.drop();
  }, 90_000);

  it(
    'restarts a service killed with SIGKILL and waits until it is ready, the others keeping their processes; Ctrl-C still stops all',
    async () => {
      expect(Object.keys(pids()).sort()).toEqual(Object.keys(PORT_VARIABLES).sort());
      for (const [n, victim] of VICTIMS.entries()) {
        const before = pids();
        const killedAt = Date.now();
        process.kill(before[victim]!, 'SIGKILL');
        // What the victim's readiness said until it was back (no answer while no process listens).
        const said = new Map<string, number>();
        const readyAgain = await waitFor(
          async () => {
            const res = await fetch(`http://127.0.0.1:${ports[victim]}/health/ready`).catch(() => undefined);
            const answer = res ? `${res.status}${res.status === 200 ? '' : ` ${(await res.text()).slice(0, 200)}`}` : 'no answer';
            said.set(answer, (said.get(answer) ?? 0) + 1);
            return res?.status === 200 && pids()[victim] !== before[victim] ? Date.now() - killedAt : undefined;
          },
          `${victim} back and ready`,
          90_000,
          100,
        );
        console.log(
          `${victim} killed with SIGKILL: restarted by npm start and ready ${readyAgain} ms later; its readiness meanwhile: ` +
            [...said].map(([answer, count]) => `${count} × ${answer}`).join('; '),
        );
        expect(output).toMatch(new RegExp(`${victim} \\(pid ${before[victim]}\\) exited by itself \\(killed by SIGKILL\\); restart #${n + 1} in \\d+ s`));
        const after = pids();
        for (const service of Object.keys(PORT_VARIABLES).filter((s) => s !== victim)) {
          expect({ service, pid: after[service], alive: alive(after[service]!) }).toEqual({ service, pid: before[service], alive: true });
        }
        expect(alive(after[victim]!)).toBe(true);
      }
      const after = pids();

      runner.kill('SIGINT');
      const [code] = (await once(runner, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output).toContain('all stopped');
      for (const pid of Object.values(after)) expect(alive(pid)).toBe(false);
    },
    60_000 + VICTIMS.length * 90_000,
  );
});
