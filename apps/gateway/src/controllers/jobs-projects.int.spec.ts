import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateProject } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';

/** Jobs listed by kit, run, stage, status and time; projects with their kits and jobs; who sees what. */
const ALICE = randomUUID();
const BOB = randomUUID();
const PROJECT = randomUUID();
const BOB_PROJECT = randomUUID();
const ALICE_KIT = 71;
const BOB_KIT = 72;
const RUN_A = randomUUID();
const RUN_B = randomUUID();
const BOB_RUN = randomUUID();

let gw: GatewayHarness;
const as = async (sub: string, roles: string[] = ['logic.general']) => gw.identity.headers({ sub, roles: roles as never });
const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
interface Job {
  jobId: string;
  stage: string;
  task: string;
  runId: string;
  attempt: number;
  status: string;
  owner: string;
  links: { logs: string };
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
const json = async <T>(path: string, headers: Record<string, string>): Promise<T> => {
  const response = await call('GET', path, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
const errorsOf = async (path: string, headers: Record<string, string>) => {
  const response = await call('GET', path, headers);
  expect(response.status).toBe(400);
  return [...new Set(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path))];
};

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 8, minute));
const DECK_A = randomUUID();
const DOE_A = randomUUID();
const ML_A = randomUUID();
const DECK_B = randomUUID();
const BOB_DECK_JOB = randomUUID();

beforeAll(async () => {
  gw = await startGateway({ prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined) });
  const definition = (projectId: string, owner: string) =>
    JSON.stringify({
      name: 'k',
      description: null,
      defaultParams: {},
      projectId,
      archived: false,
      archivedAt: null,
      updatedAt: at(0).toISOString(),
      updatedBy: owner,
      position: 1,
    });
  await insertRows(gw.db, 'projects', [
    { project_id: PROJECT, name: 'plant A', description: null, owner: ALICE, created_at: at(0), updated_at: at(0), position: 1 },
    { project_id: BOB_PROJECT, name: 'plant B', description: null, owner: BOB, created_at: at(1), updated_at: at(1), position: 2 },
  ]);
  await insertRows(gw.db, 'kits', [
    F.kit({ kit_id: ALICE_KIT, last_run_id: RUN_B, owner: ALICE, definition: definition(PROJECT, ALICE), position: 10 }),
    F.kit({ kit_id: BOB_KIT, last_run_id: BOB_RUN, owner: BOB, definition: definition(BOB_PROJECT, BOB), position: 11 }),
  ]);
  await insertRows(gw.db, 'runs', [
    F.run({ run_id: RUN_A, kit_id: ALICE_KIT, started_by: ALICE, status: 'SUCCESS', position: 10 }),
    F.run({ run_id: RUN_B, kit_id: ALICE_KIT, started_by: ALICE, status: 'RUNNING', position: 11 }),
    F.run({ run_id: BOB_RUN, kit_id: BOB_KIT, started_by: BOB, status: 'RUNNING', position: 12 }),
  ]);
  await insertRows(gw.db, 'deck_collection', [
    F.deckCollection({ job_id: DECK_A, run_id: RUN_A, kit_id: ALICE_KIT, attempt: 1, status: 'FAILED', created_at: at(1), position: 20 }),
    F.deckCollection({ job_id: DECK_A, run_id: RUN_A, kit_id: ALICE_KIT, attempt: 2, status: 'SUCCESS', created_at: at(2), position: 21 }),
    F.deckCollection({ job_id: DECK_B, run_id: RUN_B, kit_id: ALICE_KIT, status: 'RUNNING', created_at: at(10), position: 30 }),
    F.deckCollection({ job_id: BOB_DECK_JOB, run_id: BOB_RUN, kit_id: BOB_KIT, status: 'RUNNING', created_at: at(11), position: 31 }),
  ]);
  await insertRows(gw.db, 'doe_step', [F.stage({ job_id: DOE_A, run_id: RUN_A, kit_id: ALICE_KIT, status: 'SUCCESS', created_at: at(3), position: 22 })]);
  await insertRows(gw.db, 'ml_step', [
    {
      ...F.stage({ job_id: ML_A, run_id: RUN_A, kit_id: ALICE_KIT, status: 'SUCCESS', created_at: at(4), position: 23 }),
      step_name: 'preprocess',
      step_order: 1,
    },
    { ...F.stage({ job_id: ML_A, run_id: RUN_A, kit_id: ALICE_KIT, status: 'SUCCESS', created_at: at(5), position: 24 }), step_name: 'scaling', step_order: 2 },
  ]);
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('GET /api/v1/jobs', () => {
  it("lists the caller's job attempts newest first, with links to each job and its log", async () => {
    const page = await json<Page<Job>>('/api/v1/jobs', await as(ALICE));
    expect(page.items.map((j) => [j.stage, j.task, j.attempt])).toEqual([
      ['deck', 'deck_collection', 1],
      ['ml', 'scaling', 1],
      ['ml', 'preprocess', 1],
      ['doe', 'doe', 1],
      ['deck', 'deck_collection', 2],
      ['deck', 'deck_collection', 1],
    ]);
    expect(page.items.every((j) => j.owner === ALICE)).toBe(true);
    expect(page.items[0]!.links.logs).toBe(`/api/v1/jobs/${DECK_B}/logs`);
  });

  it('filters by kit, run, stage, status and time, and pages by cursor to the end', async () => {
    const alice = await as(ALICE);
    const ids = async (query: string) => (await json<Page<Job>>(`/api/v1/jobs${query}`, alice)).items.map((j) => `${j.task}:${j.attempt}`);
    expect(await ids(`?runId=${RUN_B}`)).toEqual(['deck_collection:1']);
    expect(await ids(`?kitId=${ALICE_KIT}&stage=ml`)).toEqual(['scaling:1', 'preprocess:1']);
    expect(await ids('?status=FAILED')).toEqual(['deck_collection:1']);
    expect(await ids(`?createdFrom=${encodeURIComponent(at(2).toISOString())}&createdTo=${encodeURIComponent(at(4).toISOString())}`)).toEqual([
      'preprocess:1',
      'doe:1',
      'deck_collection:2',
    ]);
    expect(await ids(`?kitId=${BOB_KIT}`)).toEqual([]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Job> = await json<Page<Job>>(`/api/v1/jobs?pageSize=4${cursor ? `&cursor=${cursor}` : ''}`, alice);
      seen.push(...page.items.map((j) => `${j.jobId}:${j.task}:${j.attempt}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('refuses bad filters naming each, and another user as owner; an admin sees everyone', async () => {
    const alice = await as(ALICE);
    expect(await errorsOf('/api/v1/jobs?stage=paint', alice)).toEqual(['stage']);
    expect(await errorsOf('/api/v1/jobs?status=done', alice)).toEqual(['status']);
    expect(await errorsOf('/api/v1/jobs?kitId=abc', alice)).toEqual(['kitId']);
    expect(await errorsOf('/api/v1/jobs?createdFrom=2026-13-01T00:00:00Z', alice)).toEqual(['createdFrom']);
    expect(await errorsOf('/api/v1/jobs?pageSize=10000', alice)).toEqual(['pageSize']);
    expect(await errorsOf('/api/v1/jobs?jobType=deck', alice)).toEqual(['jobType']);
    expect((await call('GET', `/api/v1/jobs?owner=${BOB}`, alice)).status).toBe(403);
    const all = await json<Page<Job>>('/api/v1/jobs', await as(randomUUID(), ['admin']));
    expect(all.items.map((j) => j.jobId)).toContain(BOB_DECK_JOB);
  });
});

describe('GET /api/v1/runs', () => {
  it("lists the caller's runs with their status and attempts, filtered by kit and status; bad filters are 400s naming them", async () => {
    const alice = await as(ALICE);
    const runs = await json<Page<{ runId: string; status: string; attempts: number }>>(`/api/v1/runs?kitId=${ALICE_KIT}&sort=status`, alice);
    expect(runs.items.map((r) => [r.runId, r.status, r.attempts])).toEqual([
      [RUN_B, 'RUNNING', 1],
      [RUN_A, 'SUCCESS', 2],
    ]);
    expect((await json<Page<{ runId: string }>>('/api/v1/runs?status=RUNNING', alice)).items.map((r) => r.runId)).toEqual([RUN_B]);
    expect((await json<Page<{ runId: string }>>('/api/v1/runs', await as(BOB))).items.map((r) => r.runId)).toEqual([BOB_RUN]);
    expect((await call('GET', `/api/v1/runs?owner=${BOB}`, alice)).status).toBe(403);
    expect(await errorsOf('/api/v1/runs?status=done&startedFrom=x', alice)).toEqual(['status', 'startedFrom']);
    expect((await json<Page<{ runId: string }>>(`/api/v1/runs?owner=${BOB}`, await as(randomUUID(), ['admin']))).items).toHaveLength(1);
  });
});

describe('projects', () => {
  it('creates a project through the deck service as the caller', async () => {
    const created = randomUUID();
    const service = await respondTo<{ name: string }>(gw.bus, CreateProject, (packet) => ({
      response: { projectId: created, name: packet.data.payload.name, description: null },
    }));
    const response = await call('POST', '/api/v1/projects', await as(ALICE), { name: 'plant C' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/projects/${created}`);
    expect(await response.json()).toMatchObject({ projectId: created, name: 'plant C', owner: ALICE });
    expect(service.received.map((p) => [p.data.payload, p.data.actor])).toEqual([[{ name: 'plant C' }, ALICE]]);
    expect((await call('POST', '/api/v1/projects', await as(ALICE), { name: ' ' })).status).toBe(400);
    service.subscription.unsubscribe();
  });

  it("lists the caller's projects with their kits and jobs; another user's project is 404, an admin sees it", async () => {
    const alice = await as(ALICE);
    const projects = await json<Page<{ projectId: string; kits: number }>>('/api/v1/projects', alice);
    expect(projects.items).toEqual([expect.objectContaining({ projectId: PROJECT, kits: 1 })]);
    const kits = await json<Page<{ kitId: number }>>(`/api/v1/projects/${PROJECT}/kits`, alice);
    expect(kits.items.map((k) => k.kitId)).toEqual([ALICE_KIT]);
    const jobs = await json<Page<Job>>(`/api/v1/projects/${PROJECT}/jobs?stage=deck`, alice);
    expect(jobs.items.map((j) => j.jobId)).toEqual([DECK_B, DECK_A, DECK_A]);
    for (const path of [`/api/v1/projects/${BOB_PROJECT}`, `/api/v1/projects/${BOB_PROJECT}/kits`, `/api/v1/projects/${BOB_PROJECT}/jobs`]) {
      expect((await call('GET', path, alice)).status).toBe(404);
      expect((await call('GET', path, await as(randomUUID(), ['admin']))).status).toBe(200);
    }
    expect(await errorsOf('/api/v1/projects?sort=kits', alice)).toEqual(['sort']);
  });
});
