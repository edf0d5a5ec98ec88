import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busNames } from '@vista/contracts';
import { type OwnNatsServer, startNatsServer } from '@vista/testing';
import { ARTIFACT_TRIES, getJsonArtifact, openArtifactsBucket, putJsonArtifact } from './artifacts-bucket.js';

/** An artifact of several chunks (the bucket stores 128 KiB per chunk). */
const LARGE = JSON.stringify({ rows: Array.from({ length: 40_000 }, (_, i) => [i, i / 7, `row ${i}`]) });

describe('artifacts bucket on a server too busy to answer (a server of its own, paused)', () => {
  let nats: OwnNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.dispose();
  });

  it('stores and reads an artifact the server answers late, trying again instead of failing the job that stores it', async () => {
    // A short JetStream timeout, so a pause of 1.5 s outlasts it.
    const bucket = await openArtifactsBucket(jetstream(nc, { timeout: 500 }), busNames(`artifacts_${process.pid}`));
    nats.pause();
    const resumed = sleep(1_500).then(() => nats.resume());
    const digest = await putJsonArtifact(bucket, 'datasets/late.json', LARGE);
    await resumed;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    nats.pause();
    setTimeout(() => nats.resume(), 1_500);
    expect(await getJsonArtifact(bucket, 'datasets/late.json')).toBe(LARGE);
  });

  it('gives up after its tries with an error that says what it was doing', async () => {
    const bucket = await openArtifactsBucket(jetstream(nc, { timeout: 200 }), busNames(`artifacts_gone_${process.pid}`));
    nats.pause();
    try {
      await expect(putJsonArtifact(bucket, 'models/never.json', LARGE)).rejects.toThrow(
        `the artifacts bucket did not answer in time storing models/never.json (${ARTIFACT_TRIES} tries)`,
      );
    } finally {
      nats.resume();
    }
  }, 30_000);
});
