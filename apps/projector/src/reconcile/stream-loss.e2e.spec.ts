import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { busNames } from '@vista/contracts';
import {
  type OwnNatsServer,
  type Platform,
  type ServiceName,
  type ReadinessWatch,
  type TestDatabase,
  createTestDatabase,
  fetchAs,
  metricSum,
  startNatsServer,
  startPlatform,
  uniqueNamespace,
  waitFor,
  waitForReadModelOracle,
  watchReadiness,
} from '@vista/testing';

const CSV = 'x1,x2,y\n0,0,1\n1,0,2\n0,1,3\n1,1,4.5\n';

/**
 * JetStream loses an acknowledged tail while runs flow (its store restored from an older copy, or
 * its newest block file cut short): the relays republish from the last event the stream holds, the
 * reconciler refills what the read model misses, and the oracle holds again; meanwhile the
 * projector's readiness says it diverged.
 */
describe('a stream that loses its acknowledged tail heals from the Postgres logs', () => {
  let nats: OwnNatsServer;
  let db: TestDatabase;
  let platform: Platform;
  const namespace = uniqueNamespace();
  const names = busNames(namespace);
  let deckId: string;
  let kit = 100;
  let flowing = false;
  let flow: Promise<void> | undefined;
  const statuses: number[] = [];
  /** The gateway answers only callers with a token; the load acts as an admin. */
  let fetchApi: typeof fetch = fetch;

  const api = (p: string) => `${platform.gatewayUrl}/api/v1${p}`;
  const oracle = () => waitForReadModelOracle({ databaseUrl: db.url, natsUrl: nats.url, stream: names.eventsStream }, 30_000);
  const projectorUrl = () => platform.services.get('projector')!.url;
  const metricsText = async (service: ServiceName) => (await fetch(`${platform.services.get(service)!.url}/metrics`)).text();
  /** Events every service's relay published again after finding the stream behind it. */
  const relayRepublished = async () => {
    let total = 0;
    for (const name of platform.services.keys()) {
      if (name !== 'gateway' && name !== 'projector') total += metricSum(await metricsText(name), 'vista_relay_republished_events_total');
    }
    return total;
  };

  /** Starts a run on a new kit every 100 ms until stopped, at most 20 waiting at once (answers kept). */
  const startFlow = () => {
    flowing = true;
    const inFlight = new Set<Promise<void>>();
    flow = (async () => {
      while (flowing) {
        if (inFlight.size < 20) {
          const request: Promise<void> = fetchApi(api(`/kits/${kit++}/runs`), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deckId }),
            signal: AbortSignal.timeout(20_000),
          })
            .then(async (res) => {
              statuses.push(res.status);
              await res.arrayBuffer();
            })
            .catch(() => undefined)
            .finally(() => inFlight.delete(request));
          inFlight.add(request);
        }
        await sleep(100);
      }
      await Promise.all(inFlight);
    })();
  };
  const stopFlow = async () => {
    flowing = false;
    await flow;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    db = await createTestDatabase('stream_loss');
    platform = await startPlatform({
      databaseUrl: db.url,
      namespace,
      natsUrl: nats.url,
      serviceEnv: { projector: { RECONCILE_GRACE_MS: '2000', RECONCILE_INTERVAL_MS: '500' } },
    });
    fetchApi = fetchAs(await platform.identity.headers({ roles: ['admin'] }));
    const form = new FormData();
    form.set('file', new Blob([CSV], { type: 'text/csv' }), 'deck.csv');
    form.set('name', 'square');
    form.set('datasetType', 'Surf');
    const uploaded = await fetchApi(api('/decks'), { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    deckId = ((await uploaded.json()) as { deckId: string }).deckId;
  }, 120_000);

  afterAll(async () => {
    await stopFlow();
    await platform?.stop();
    await nats?.dispose();
    await db?.drop();
  }, 60_000);

  /** The stream's last sequence, read on a connection of its own. */
  const lastSequence = async (): Promise<number> => {
    const nc = await connect({ servers: nats.url });
    try {
      return (await (await jetstreamManager(nc)).streams.info(names.eventsStream)).state.last_seq;
    } finally {
      await nc.close();
    }
  };

  /** Events of the services' Postgres logs that the stream does not hold (each message read back by sequence). */
  const missingFromStream = async (): Promise<{ schema: string; eventId: string; type: string; recordedAt: string }[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const logged = new Map<string, { schema: string; eventId: string; type: string; recordedAt: string }>();
    try {
      const { rows: schemas } = await client.query<{ schema: string }>(
        `select table_schema as schema from information_schema.tables where table_name = 'events' and table_schema <> 'read'`,
      );
      for (const { schema } of schemas) {
        const { rows } = await client.query<{ event_id: string; type: string; occurred_at: Date }>(
          `select event_id, type, occurred_at from "${schema}".events`,
        );
        for (const row of rows) logged.set(row.event_id, { schema, eventId: row.event_id, type: row.type, recordedAt: row.occurred_at.toISOString() });
      }
    } finally {
      await client.end();
    }
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const { first_seq: first, last_seq: last } = (await jsm.streams.info(names.eventsStream)).state;
      for (let seq = first; seq <= last; seq++) {
        const msg = await jsm.streams.getMessage(names.eventsStream, { seq }).catch(() => null);
        if (msg) logged.delete((msg.json() as { eventId: string }).eventId);
      }
    } finally {
      await nc.close();
    }
    return [...logged.values()];
  };
  /** Waits until the stream holds every logged event again; names the first missing ones if it does not. */
  const streamWhole = async () => {
    let missing: Awaited<ReturnType<typeof missingFromStream>> = [];
    await waitFor(
      async () => {
        missing = await missingFromStream();
        return missing.length === 0 || undefined;
      },
      'the stream holding every logged event again',
      30_000,
      1_000,
    ).catch((error: Error) => {
      // What the relays of the logs that miss events said.
      const said = [...new Set(missing.map((m) => m.schema))].flatMap((schema) =>
        (platform.services.get(schema as ServiceName)?.output ?? []).filter((line) => /relay|stream/i.test(line)).slice(-10),
      );
      return Promise.reject(new Error(`${error.message}: ${missing.length} missing, first ${JSON.stringify(missing.slice(0, 5))}\n${said.join('\n')}`));
    });
  };

  /** Runs `damage` on the stopped server while runs flow, then measures the healing. */
  const loseTail = async (damage: () => Promise<void>) => {
    startFlow();
    await sleep(2_000);
    const watch: ReadinessWatch = watchReadiness([projectorUrl()], 100, 2_000);
    await damage();
    const restartedAt = Date.now();
    await sleep(3_000);
    await stopFlow();
    const healed = await oracle();
    const healingMs = Date.now() - restartedAt;
    // Ready again once healed (a last look, after the oracle held).
    await waitFor(async () => (await fetch(`${projectorUrl()}/health/ready`)).ok, 'projector ready again', 10_000);
    const probes = await watch.stop();
    return { healed, healingMs, probes };
  };

  it('restored from an older copy of its store: the lost events are republished or refilled, and readiness said so meanwhile', async () => {
    let copy = '';
    const sequences = { atCopy: 0, beforeRestore: 0, afterRestore: 0 };
    const result = await loseTail(async () => {
      await nats.stop();
      copy = await nats.snapshot();
      await nats.start();
      // Acknowledged while the copy grows old: lost when it is restored (at least 20 events, however long the clients take to reconnect).
      const atCopy = await waitFor(async () => lastSequence().catch(() => undefined), 'the stream back after the copy', 30_000);
      await waitFor(async () => (await lastSequence()) >= atCopy + 20 || undefined, 'twenty events acknowledged after the copy', 30_000, 100);
      sequences.atCopy = atCopy;
      sequences.beforeRestore = await lastSequence();
      await nats.stop({ kill: true });
      await nats.restore(copy);
      await nats.start();
      sequences.afterRestore = await lastSequence();
    });
    const notReady = result.probes.filter((p) => p.status === 503);
    const projector = await metricsText('projector');
    const deck = await metricsText('deck');
    const republished = await relayRepublished();
    const figures = {
      healingMs: result.healingMs,
      notReadyProbes: notReady.length,
      probes: result.probes.length,
      reconcilerMissing: metricSum(projector, 'vista_reconciler_missing_events_total'),
      reconcilerRefilled: metricSum(projector, 'vista_reconciler_refilled_events_total'),
      reconcilerRewinds: metricSum(projector, 'vista_reconciler_stream_rewinds_total'),
      relayRewinds: metricSum(deck, 'vista_relay_rewinds_total'),
      relayRepublished: republished,
      sequences,
      runs: statuses.length,
      answers: [...new Set(statuses)],
    };
    console.log(`stream restored from an older copy: ${JSON.stringify(figures)}`);
    expect(result.healed.holds).toBe(true);
    expect(notReady.length).toBeGreaterThan(0);
    // The consumers' state was restored with the stream, so no consumer is ahead of it: the relays notice
    // that the stream no longer holds their last publishes, and publish the lost tail again.
    await streamWhole();
  }, 90_000);

  it('its newest block file cut short: the same', async () => {
    const before = {
      refilled: metricSum(await metricsText('projector'), 'vista_reconciler_refilled_events_total'),
      republished: await relayRepublished(),
    };
    statuses.length = 0;
    const result = await loseTail(async () => {
      await sleep(1_000);
      await nats.stop({ kill: true });
      await nats.truncateNewestBlock(names.eventsStream, 0.5);
      await nats.start();
    });
    const notReady = result.probes.filter((p) => p.status === 503);
    const projector = await metricsText('projector');
    const republished = await relayRepublished();
    const figures = {
      healingMs: result.healingMs,
      notReadyProbes: notReady.length,
      probes: result.probes.length,
      reconcilerRefilled: metricSum(projector, 'vista_reconciler_refilled_events_total') - before.refilled,
      reconcilerRewinds: metricSum(projector, 'vista_reconciler_stream_rewinds_total'),
      consumersReset: metricSum(projector, 'vista_reconciler_consumers_reset_total'),
      relayRepublished: republished - before.republished,
      runs: statuses.length,
      answers: [...new Set(statuses)],
    };
    console.log(`newest block truncated: ${JSON.stringify(figures)}`);
    expect(result.healed.holds).toBe(true);
    expect(notReady.length).toBeGreaterThan(0);
    expect(figures.reconcilerRefilled + figures.relayRepublished).toBeGreaterThan(0);
    await streamWhole();
  }, 90_000);
});
