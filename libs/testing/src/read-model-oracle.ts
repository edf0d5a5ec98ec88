import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const run = promisify(execFile);

export interface OracleOptions {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** The events stream (`busNames(namespace).eventsStream`). */
  readonly stream: string;
  readonly readSchema?: string;
}

export interface OracleVerdict {
  /** FOLD: the read models equal a fold of the Postgres logs. */
  readonly fold: boolean;
  /** NODUP: no event applied twice. */
  readonly noDup: boolean;
  /** DRAINED: every durable consumer of the stream has nothing pending or unacknowledged. */
  readonly drained: boolean;
  readonly holds: boolean;
  /** What differs, for a failure message. */
  readonly detail: Record<string, unknown>;
}

const HERE = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const ROOT = path.basename(HERE) === 'dist' && existsSync(path.join(HERE, '..', 'package.json')) ? path.dirname(HERE) : HERE;

/**
 * The fault tests' oracle, checked once: FOLD and NODUP by `verify:read-models` (dist, build first)
 * against the test's database, DRAINED from every consumer of the events stream.
 */
export async function checkReadModelOracle(options: OracleOptions): Promise<OracleVerdict> {
  const tool = path.join(ROOT, 'dist', 'tools', 'verify', 'verify-read-models.js');
  if (!existsSync(tool)) throw new Error(`${tool} does not exist: run \`npm run build\` first`);
  const env = { PATH: process.env.PATH ?? '', DATABASE_URL: options.databaseUrl, READ_SCHEMA: options.readSchema ?? 'read' };
  const { stdout } = await run(process.execPath, [tool, '--json'], { env, cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; code?: number }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw error;
    },
  );
  const verdict = JSON.parse(stdout) as {
    fold: boolean;
    noDuplicates: boolean;
    differences: unknown[];
    events: number;
    appliedEvents: number;
    markedEvents: number;
  };

  const nc = await connect({ servers: options.natsUrl, name: 'read-model-oracle' });
  const pending: Record<string, { pending: number; ackPending: number }> = {};
  try {
    const jsm = await jetstreamManager(nc);
    for await (const consumer of jsm.consumers.list(options.stream)) {
      pending[consumer.name] = { pending: consumer.num_pending, ackPending: consumer.num_ack_pending };
    }
  } finally {
    await nc.close();
  }
  const drained = Object.values(pending).every((p) => p.pending === 0 && p.ackPending === 0);
  return {
    fold: verdict.fold,
    noDup: verdict.noDuplicates,
    drained,
    holds: verdict.fold && verdict.noDuplicates && drained,
    detail: {
      events: verdict.events,
      applied: verdict.appliedEvents,
      marked: verdict.markedEvents,
      differences: verdict.differences,
      consumers: pending,
    },
  };
}

/** Checks the oracle until it holds; fails with the last verdict after `timeoutMs`. Returns the verdict and how long it took. */
export async function waitForReadModelOracle(options: OracleOptions, timeoutMs = 30_000, intervalMs = 500): Promise<OracleVerdict & { afterMs: number }> {
  const started = Date.now();
  let last: OracleVerdict | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await checkReadModelOracle(options);
      if (last.holds) return { ...last, afterMs: Date.now() - started };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `the read-model oracle did not hold within ${timeoutMs} ms; last: ${last ? JSON.stringify(last) : `error ${(lastError as Error)?.message}`}`,
      );
    }
    await sleep(intervalMs);
  }
}
