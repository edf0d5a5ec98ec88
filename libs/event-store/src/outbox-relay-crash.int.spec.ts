import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import { waitFor } from '@vista/testing';
import type { CrashPoint, CrashingRelayConfig } from './testing/crashing-relay.process.js';
import {
  type EventStoreHarness,
  auditRelay,
  childServers,
  compileForChildProcess,
  countStored,
  createEventStoreHarness,
  waitUntilRelayed,
} from './testing/event-store.harness.js';
import { writeStreams } from './testing/stream-load.harness.js';

// Real servers, a shared 2-core machine: a bound on waiting, not a performance claim.
jest.setTimeout(120_000);

const STREAMS = 50;
const EVENTS_PER_STREAM = 60;
const BATCH_SIZE = 100;
const CRASH_AT_BATCH = 5;

describe('OutboxRelay killed by SIGKILL (real Postgres, NATS and a child process)', () => {
  let child: { script: string; remove: () => Promise<void> };
  beforeAll(async () => {
    child = await compileForChildProcess('crashing-relay.process.ts');
  }, 60_000);
  afterAll(() => child?.remove());

  let h: EventStoreHarness;
  let running: ChildProcess | undefined;
  beforeEach(async () => {
    h = await createEventStoreHarness('relay_crash', { bus: true });
  });
  afterEach(async () => {
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
    running = undefined;
    await h?.cleanup();
  });

  /** Messages in the stream and events at or below the checkpoint, right after the crash. */
  const progressAfterCrash = async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.id(h.schema, 'events')} e, ${sql.id(h.schema, 'outbox_checkpoint')} c
      where c.relay = 'relay' and (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)`.execute(h.db);
    const messages = (await h.bus!.jsm.streams.info(h.bus!.names.eventsStream)).state.messages;
    return { checkpointed: rows[0]?.n ?? 0, messages };
  };

  const cases: [CrashPoint, number][] = [
    // The killed batch reached JetStream whole, its checkpoint was never saved: the restart republishes it.
    ['after-publish', CRASH_AT_BATCH * BATCH_SIZE],
    // Half of it reached JetStream before the kill.
    ['mid-publish', (CRASH_AT_BATCH - 1) * BATCH_SIZE + BATCH_SIZE / 2],
    // Nothing of it reached JetStream.
    ['before-publish', (CRASH_AT_BATCH - 1) * BATCH_SIZE],
  ];

  it.each(cases)('relays every event exactly once, in stream order, after the relay is killed %s', async (crashPoint, publishedAtCrash) => {
    // Half the log is there before the relay starts, so its first batches are full ones.
    const half = EVENTS_PER_STREAM / 2;
    await writeStreams(h.store, { streams: STREAMS, eventsPerStream: half });

    const config: CrashingRelayConfig = {
      ...childServers(h),
      namespace: h.bus!.namespace,
      schema: h.schema,
      batchSize: BATCH_SIZE,
      crashPoint,
      crashAtBatch: CRASH_AT_BATCH,
    };
    const relayProcess = spawnRelay(child.script, config);
    running = relayProcess.process;
    // The other half is written while the relay runs, dies and is replaced.
    const writing = writeStreams(h.store, { streams: STREAMS, eventsPerStream: EVENTS_PER_STREAM - half, fromVersion: half });

    const exit = await relayProcess.exited;
    expect({ signal: exit.signal, stderr: exit.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(await progressAfterCrash()).toEqual({ checkpointed: (CRASH_AT_BATCH - 1) * BATCH_SIZE, messages: publishedAtCrash });

    h.startRelay({ batchSize: BATCH_SIZE });
    await writing;
    await waitUntilRelayed(h, 'the restarted relay to catch up', 60_000);

    const audit = await auditRelay(h);
    const total = STREAMS * EVENTS_PER_STREAM;
    expect(await countStored(h)).toBe(total);
    expect(audit).toEqual({ storedEvents: total, streamMessages: total, distinctMessageIds: total, missing: [], outOfOrder: [] });
  });
});

/** Starts the crashing relay; `exited` resolves with how it ended and what it wrote to stderr. */
function spawnRelay(script: string, config: CrashingRelayConfig) {
  // Without the test runner's NODE_OPTIONS: the child is plain Node running compiled JavaScript.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const proc = spawn(process.execPath, [script, JSON.stringify(config)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const bounded = Promise.race([
    exited,
    waitFor(async () => proc.exitCode !== null || proc.signalCode !== null, 'the relay process to kill itself', 60_000).then(() => exited),
  ]);
  return { process: proc, exited: bounded };
}
