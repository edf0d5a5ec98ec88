import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Objm } from '@nats-io/obj';
import type { Subscription } from '@nats-io/transport-node';
import { migrateSchema } from '@vista/db';
// The gateway reads the tables the projector migrates; testing on its real migrations keeps the two in step.

import { PredictWithModel } from '@vista/contracts';
import { readModelMigrations } from '@vista/read-model';
import { type CommandPacket, type GatewayHarness, recordCommands, respondTo, startGateway } from '../testing/gateway.harness.js';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { fetchAs } from '@vista/testing';

/** The gateway answers only callers with a token; these tests act as an admin. */
let fetchApi: typeof fetch;

const BODY_MAX_BYTES = 2048;
const UPLOAD_MAX_BYTES = 4096;
const DECK_ID = randomUUID();

let gw: GatewayHarness;
const subscriptions: Subscription[] = [];

const track = <T extends { subscription: Subscription }>(value: T): T => {
  subscriptions.push(value.subscription);
  return value;
};

/**
 * The responders subscribe on the test's own NATS connection and the gateway publishes on another, so a
 * round trip to the server first makes sure it has registered (and dropped) the subscriptions the test made.
 */
const subscriptionsRegistered = () => gw.bus.nc.flush();

const postJson = async (path: string, body: unknown) => {
  await subscriptionsRegistered();
  return fetchApi(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
};

function deckForm(file: { content: string | Uint8Array; name: string }, fields: Record<string, string | string[]>): FormData {
  const form = new FormData();
  form.append('file', new Blob([file.content]), file.name);
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(key, v);
  return form;
}

const upload = async (form: FormData) => {
  await subscriptionsRegistered();
  return fetchApi(`${gw.url}/api/v1/decks`, { method: 'POST', body: form });
};

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, any>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, any>;
  expect(problem).toMatchObject({ type: `https://vista.dev/problems/${code}`, status });
  return problem;
}

/** Lets anything the gateway might have published reach the test's subscriptions. */
async function settle(): Promise<void> {
  await gw.bus.nc.flush();
  await sleep(150);
}

beforeAll(async () => {
  gw = await startGateway({
    prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined),
    env: { BODY_MAX_BYTES: String(BODY_MAX_BYTES), UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) },
  });
  fetchApi = fetchAs(await gw.identity.headers({ roles: ['admin'] }));
}, 60_000);

afterEach(() => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
});

afterAll(async () => {
  await gw?.close();
});

describe('POST /api/v1/kits/{kitId}/runs', () => {
  it('sends StartKitRun and answers 202 with the run and the Location of the kit state', async () => {
    const runId = randomUUID();
    const jobId = randomUUID();
    const deck = track(await respondTo(gw.bus, 'StartKitRun', (p: CommandPacket) => ({ response: { kitId: p.data.payload.kitId, runId, jobId } })));

    const params = { doe: { design: 'latin-hypercube', points: 64, bounds: { x1: [0, 10] } }, optimize: { goal: 'target', target: 0.9 } };
    const response = await postJson('/api/v1/kits/42/runs', { deckId: DECK_ID, params });

    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe('/api/v1/kits/42/state');
    expect(await response.json()).toEqual({ kitId: 42, runId, jobId });
    const correlationId = response.headers.get('vista-correlation-id');
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deck.received).toHaveLength(1);
    expect(deck.received[0]!.data).toEqual({ payload: { kitId: 42, deckId: DECK_ID, params }, actor: gw.identity.defaultSub, correlationId });
    // The caller's token goes along, for the service to check again.
    expect(deck.received[0]!.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it.each([
    ['an unknown design type', { doe: { design: 'taguchi' } }, 'params.doe.design'],
    ['a negative point count', { doe: { points: -5 } }, 'params.doe.points'],
    ['bounds whose low is above the high', { doe: { bounds: { x1: [3, 1] } } }, 'params.doe.bounds'],
    ['a target goal without a target', { optimize: { goal: 'target' } }, 'params.optimize.target'],
    ['an unknown parameter', { doe: { points: 20, shuffle: true } }, 'params.doe.shuffle'],
  ])('answers 400 naming the parameter for %s, and nothing reaches the deck service', async (_what, params, path) => {
    const commands = track(await recordCommands(gw.bus));
    const deck = track(await respondTo(gw.bus, 'StartKitRun', () => ({ response: { kitId: 42, runId: randomUUID(), jobId: randomUUID() } })));
    const problem = await expectProblem(await postJson('/api/v1/kits/42/runs', { deckId: DECK_ID, params }), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual([path]);
    expect(problem.detail).toContain(path.split('.').pop());
    await settle();
    expect(commands.subjects).toEqual([]);
    expect(deck.received).toEqual([]);
  });

  it('sends an Idempotency-Key with the route and a digest of the request, equal for the same request however its JSON is written', async () => {
    const deck = track(
      await respondTo(gw.bus, 'StartKitRun', (p: CommandPacket) => ({ response: { kitId: p.data.payload.kitId, runId: randomUUID(), jobId: randomUUID() } })),
    );
    const params = { doe: { design: 'latin-hypercube', points: 64 } };
    const send = (body: string) =>
      fetchApi(`${gw.url}/api/v1/kits/42/runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'order-7' }, body });
    expect((await send(JSON.stringify({ deckId: DECK_ID, params }))).status).toBe(202);
    expect((await send(`{"params":{"doe":{"points":64,"design":"latin-hypercube"}},"deckId":"${DECK_ID}"}`)).status).toBe(202);
    expect((await send(JSON.stringify({ deckId: DECK_ID, params: { doe: { ...params.doe, points: 65 } } }))).status).toBe(202);
    const sent = deck.received.map((r) => r.data.payload.idempotency as { requestDigest: string });
    expect(sent[0]).toEqual({ key: 'order-7', route: 'POST /api/v1/kits/{kitId}/runs', requestDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[2].requestDigest).not.toBe(sent[0].requestDigest);
  });

  it('answers 400 naming the header for an upload with a key too long, and neither stores the file nor reaches the deck service', async () => {
    const commands = track(await recordCommands(gw.bus));
    const before = await gw.uploads();
    const response = await fetchApi(`${gw.url}/api/v1/decks`, {
      method: 'POST',
      headers: { 'idempotency-key': 'k'.repeat(201) },
      body: deckForm({ content: 'x,y\n1,2\n', name: 'd.csv' }, { name: 'd', datasetType: 'Surf' }),
    });
    const problem = await expectProblem(response, 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'header Idempotency-Key', message: expect.any(String) }]);
    await settle();
    expect(commands.subjects).toEqual([]);
    expect(await gw.uploads()).toEqual(before);
  });

  it('answers 422 when the deck service reports the key was used for another request', async () => {
    track(
      await respondTo(gw.bus, 'StartKitRun', () => ({
        err: { code: 'idempotency-key-reused', message: 'idempotency key "k" was already used for a different request' },
      })),
    );
    const response = await fetchApi(`${gw.url}/api/v1/kits/42/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: JSON.stringify({ deckId: DECK_ID }),
    });
    const problem = await expectProblem(response, 422, 'idempotency-key-reused');
    expect(problem.detail).toContain('"k"');
  });

  it('answers 409 when the deck service reports a conflict', async () => {
    track(await respondTo(gw.bus, 'StartKitRun', () => ({ err: { code: 'conflict', message: 'kit 42 already has a run in progress' } })));
    const problem = await expectProblem(await postJson('/api/v1/kits/42/runs', { sourcePath: 'plant-a/march.csv' }), 409, 'conflict');
    expect(problem.detail).toBe('kit 42 already has a run in progress');
    expect(problem.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 with the issues the deck service found', async () => {
    track(
      await respondTo(gw.bus, 'StartKitRun', () => ({
        err: { code: 'invalid', message: 'deck is not ready', issues: [{ path: 'deckId', message: 'deck is still being ingested' }] },
      })),
    );
    const problem = await expectProblem(await postJson('/api/v1/kits/42/runs', { deckId: DECK_ID }), 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'deckId', message: 'deck is still being ingested' }]);
  });

  it('answers 503 when no deck service answers', async () => {
    await expectProblem(await postJson('/api/v1/kits/42/runs', { deckId: DECK_ID }), 503, 'unavailable');
  });

  it.each([
    ['an unknown field', { deckId: DECK_ID, priority: 'high' }, 'priority'],
    ['a deck id of the wrong type', { deckId: 7 }, 'deckId'],
    ['params of the wrong type', { deckId: DECK_ID, params: [1, 2] }, 'params'],
  ])('answers 400 naming the field for %s, and sends no command', async (_what, body, field) => {
    const commands = track(await recordCommands(gw.bus));
    const problem = await expectProblem(await postJson('/api/v1/kits/42/runs', body), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toContain(field);
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 400 for a bad kit id, and sends no command', async () => {
    const commands = track(await recordCommands(gw.bus));
    await expectProblem(await postJson('/api/v1/kits/0/runs', { deckId: DECK_ID }), 400, 'invalid');
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 415 for a body that is not JSON, and sends no command', async () => {
    const commands = track(await recordCommands(gw.bus));
    const response = await fetchApi(`${gw.url}/api/v1/kits/42/runs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: `deckId=${DECK_ID}` });
    await expectProblem(response, 415, 'unsupported-media-type');
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 400 for malformed JSON', async () => {
    const problem = await expectProblem(await postJson('/api/v1/kits/42/runs', '{"deckId": '), 400, 'invalid');
    expect(problem.detail).toBe('the request body is not valid JSON');
  });

  it('answers 413 for a JSON body over the limit, and sends no command', async () => {
    const commands = track(await recordCommands(gw.bus));
    const problem = await expectProblem(
      await postJson('/api/v1/kits/42/runs', { deckId: DECK_ID, params: { blob: 'x'.repeat(BODY_MAX_BYTES) } }),
      413,
      'payload-too-large',
    );
    expect(problem.detail).toBe(`the request body is larger than ${BODY_MAX_BYTES} bytes`);
    await settle();
    expect(commands.subjects).toEqual([]);
  });
});

describe('POST /api/v1/runs/{runId}/control', () => {
  /** A run as the read model shows it. */
  async function runIn(status: string): Promise<string> {
    const runId = randomUUID();
    await insertRows(gw.db, 'runs', [F.run({ run_id: runId, kit_id: 42, status, position: 10 })]);
    return runId;
  }

  it('sends StopKitRun for a running run and answers 202 with where to follow it and the cancelled jobs', async () => {
    const runId = await runIn('RUNNING');
    const jobId = randomUUID();
    const deck = track(await respondTo(gw.bus, 'StopKitRun', (p: CommandPacket) => ({ response: { runId: p.data.payload.runId, cancelledJobIds: [jobId] } })));
    const response = await postJson(`/api/v1/runs/${runId}/control`, { action: 'stop', reason: 'wrong deck' });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/api/v1/runs/${runId}`);
    expect(await response.json()).toEqual({ runId, action: 'stop', status: `/api/v1/runs/${runId}`, cancelledJobIds: [jobId] });
    expect(deck.received[0]!.data.payload).toEqual({ runId, reason: 'wrong deck' });
  });

  it.each(['FAILED', 'TIMEOUT', 'CANCELLED'])('sends RetryKitRun for a %s run and answers 202', async (status) => {
    const runId = await runIn(status);
    const deck = track(await respondTo(gw.bus, 'RetryKitRun', (p: CommandPacket) => ({ response: { runId: p.data.payload.runId, kitId: 42 } })));
    const response = await postJson(`/api/v1/runs/${runId}/control`, { action: 'retry', reason: 'deck fixed' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ runId, action: 'retry', status: `/api/v1/runs/${runId}` });
    expect(deck.received).toHaveLength(1);
    expect(deck.received[0]!.data.payload).toEqual({ runId, reason: 'deck fixed' });
  });

  it.each([
    ['stop', 'SUCCESS', /already ended SUCCESS/],
    ['stop', 'FAILED', /already ended FAILED/],
    ['stop', 'CANCELLED', /already ended CANCELLED/],
    ['retry', 'RUNNING', /is RUNNING: only a run that FAILED/],
    ['retry', 'SUCCESS', /is SUCCESS: only a run that FAILED/],
  ])('answers 409 to %s of a %s run, and sends no command', async (action, status, detail) => {
    const runId = await runIn(status);
    const commands = track(await recordCommands(gw.bus));
    const problem = await expectProblem(await postJson(`/api/v1/runs/${runId}/control`, { action }), 409, 'conflict');
    expect(problem.detail).toMatch(detail);
    expect(problem.detail).toContain(runId);
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 404 for a run the read model does not know, and sends no command', async () => {
    const commands = track(await recordCommands(gw.bus));
    const runId = randomUUID();
    const problem = await expectProblem(await postJson(`/api/v1/runs/${runId}/control`, { action: 'stop' }), 404, 'not-found');
    expect(problem.detail).toBe(`run ${runId} does not exist`);
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 409 when the deck service finds the run cannot be retried after all', async () => {
    const runId = await runIn('FAILED');
    track(await respondTo(gw.bus, 'RetryKitRun', () => ({ err: { code: 'conflict', message: 'the run is already being retried' } })));
    const problem = await expectProblem(await postJson(`/api/v1/runs/${runId}/control`, { action: 'retry' }), 409, 'conflict');
    expect(problem.detail).toBe('the run is already being retried');
  });

  it('answers 400 naming action for an unknown action', async () => {
    const runId = await runIn('RUNNING');
    const problem = await expectProblem(await postJson(`/api/v1/runs/${runId}/control`, { action: 'pause' }), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual(['action']);
  });
});

describe('POST /api/v1/models/{modelId}/predict', () => {
  const MODEL = randomUUID();
  const answer = (p: CommandPacket) => ({
    response: {
      modelId: p.data.payload.modelId,
      modelVersion: 3,
      response: 'yield',
      factors: ['temperature', 'pressure'],
      predictions: (p.data.payload.rows as unknown[]).map((_row, i) => 0.5 + i),
    },
  });

  it('sends PredictWithModel to the ml service and answers 200 with the predictions', async () => {
    const ml = track(await respondTo(gw.bus, PredictWithModel, answer));
    const rows = [{ temperature: 40, pressure: 1.2 }, [55, 1.4]];
    const response = await postJson(`/api/v1/models/${MODEL}/predict`, { rows });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      modelId: MODEL,
      modelVersion: 3,
      response: 'yield',
      factors: ['temperature', 'pressure'],
      predictions: [0.5, 1.5],
    });
    expect(ml.received).toHaveLength(1);
    expect(ml.received[0]!.data).toMatchObject({ payload: { modelId: MODEL, rows }, actor: gw.identity.defaultSub });
  });

  it('takes 10,000 rows, more than the general body limit', async () => {
    const ml = track(await respondTo(gw.bus, PredictWithModel, answer));
    const rows = Array.from({ length: 10_000 }, (_, i) => [i / 100, 1.5]);
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(BODY_MAX_BYTES);
    const response = await postJson(`/api/v1/models/${MODEL}/predict`, { rows });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).predictions).toHaveLength(10_000);
    expect(ml.received[0]!.data.payload.rows).toHaveLength(10_000);
  });

  it('answers 404 when the ml service does not know the model', async () => {
    track(await respondTo(gw.bus, PredictWithModel, () => ({ err: { code: 'not-found', message: `model ${MODEL} does not exist` } })));
    const problem = await expectProblem(await postJson(`/api/v1/models/${MODEL}/predict`, { rows: [[1, 2]] }), 404, 'not-found');
    expect(problem.detail).toBe(`model ${MODEL} does not exist`);
  });

  it('answers 400 with the issues the ml service found in the rows', async () => {
    track(
      await respondTo(gw.bus, PredictWithModel, () => ({
        err: { code: 'invalid', message: 'rows do not fit the model', issues: [{ path: 'rows.0', message: 'has 3 values, the model has 2 factors' }] },
      })),
    );
    const problem = await expectProblem(await postJson(`/api/v1/models/${MODEL}/predict`, { rows: [[1, 2, 3]] }), 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'rows.0', message: 'has 3 values, the model has 2 factors' }]);
  });

  it('answers 503 when no ml service answers', async () => {
    await expectProblem(await postJson(`/api/v1/models/${MODEL}/predict`, { rows: [[1, 2]] }), 503, 'unavailable');
  });

  it.each([
    ['no rows', { rows: [] }, 'rows'],
    ['a value that is not a number', { rows: [{ temperature: 'hot' }] }, 'rows'],
    ['an unknown field', { rows: [[1, 2]], explain: true }, 'explain'],
  ])('answers 400 for %s, and sends no command', async (_what, body, path) => {
    const commands = track(await recordCommands(gw.bus));
    const problem = await expectProblem(await postJson(`/api/v1/models/${MODEL}/predict`, body), 400, 'invalid');
    expect(problem.errors.map((e: any) => e.path)).toEqual([path]);
    await settle();
    expect(commands.subjects).toEqual([]);
  });

  it('answers 400 for a model id that is not a UUID', async () => {
    await expectProblem(await postJson('/api/v1/models/m-1/predict', { rows: [[1]] }), 400, 'invalid');
  });
});

describe('POST /api/v1/decks', () => {
  const csv = 'temperature,pressure,yield\n20,1.0,0.5\n40,1.5,0.7\n';

  it('puts the file in the uploads bucket, sends IngestDeck and answers 201 with the deck', async () => {
    const seen: { key?: string; content?: string } = {};
    const deck = track(
      await respondTo(gw.bus, 'IngestDeck', async (p: CommandPacket) => {
        // What the deck service does: read the upload, then delete it.
        const store = await new Objm(gw.bus.js).open(gw.bus.names.uploadsBucket);
        const key = p.data.payload.uploadKey as string;
        seen.key = key;
        seen.content = new TextDecoder().decode((await store.getBlob(key)) ?? new Uint8Array());
        await store.delete(key);
        return { response: { deckId: DECK_ID, rowCount: 2, factors: ['temperature', 'pressure'], responses: ['yield'] } };
      }),
    );

    const response = await upload(
      deckForm({ content: csv, name: 'march.csv' }, { name: 'plant A', datasetType: 'Vector', factors: 'temperature, pressure', responses: 'yield' }),
    );

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/decks/${DECK_ID}`);
    expect(await response.json()).toEqual({
      deckId: DECK_ID,
      name: 'plant A',
      datasetType: 'Vector',
      format: 'csv',
      rowCount: 2,
      factors: ['temperature', 'pressure'],
      responses: ['yield'],
    });
    expect(seen.content).toBe(csv);
    expect(deck.received[0]!.data.payload).toEqual({
      uploadKey: seen.key,
      name: 'plant A',
      format: 'csv',
      datasetType: 'Vector',
      factors: ['temperature', 'pressure'],
      responses: ['yield'],
    });
    expect(await gw.uploads()).toEqual([]);
  });

  it('deletes the upload when the deck service refuses the deck', async () => {
    track(
      await respondTo(gw.bus, 'IngestDeck', () => ({
        err: { code: 'invalid', message: 'the deck has no rows', issues: [{ path: 'row 1', message: 'missing' }] },
      })),
    );
    const problem = await expectProblem(
      await upload(deckForm({ content: 'a,b\n', name: 'empty.csv' }, { name: 'empty', datasetType: 'Surf' })),
      400,
      'invalid',
    );
    expect(problem.errors).toEqual([{ path: 'row 1', message: 'missing' }]);
    expect(await gw.uploads()).toEqual([]);
  });

  it('answers 413 for a file over the limit and stores nothing', async () => {
    const commands = track(await recordCommands(gw.bus));
    const before = await gw.uploads();
    const problem = await expectProblem(
      await upload(deckForm({ content: new Uint8Array(UPLOAD_MAX_BYTES + 1).fill(65), name: 'big.csv' }, { name: 'big', datasetType: 'Vector' })),
      413,
      'payload-too-large',
    );
    expect(problem.detail).toBe('the uploaded file is larger than the gateway accepts');
    await settle();
    expect(await gw.uploads()).toEqual(before);
    expect(commands.subjects).toEqual([]);
  });

  it('answers 400 naming unknown and invalid form fields, storing nothing', async () => {
    const commands = track(await recordCommands(gw.bus));
    const problem = await expectProblem(
      await upload(deckForm({ content: csv, name: 'march.csv' }, { name: 'x', datasetType: 'Laser', owner: 'me' })),
      400,
      'invalid',
    );
    expect(problem.errors.map((e: any) => e.path).sort()).toEqual(['datasetType', 'owner']);
    await settle();
    expect(commands.subjects).toEqual([]);
    expect(await gw.uploads()).toEqual([]);
  });

  it('answers 400 when the format cannot be told from the file name', async () => {
    const problem = await expectProblem(await upload(deckForm({ content: csv, name: 'march.txt' }, { name: 'x', datasetType: 'Vector' })), 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'format', message: expect.stringContaining('csv or json') }]);
  });

  it('answers 400 without a file', async () => {
    const form = new FormData();
    form.append('name', 'x');
    form.append('datasetType', 'Vector');
    const problem = await expectProblem(await upload(form), 400, 'invalid');
    expect(problem.errors).toEqual([{ path: 'file', message: 'file is required' }]);
  });
});
