import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import type { CommandDefinition } from '@vista/contracts';
import { migrateSchema } from '@vista/db';
import { readModelMigrations } from '@vista/read-model';
import { type GatewayHarness, respondTo, startGateway } from '../testing/gateway.harness.js';
import { ReadModelFactory as F, insertRows } from '../testing/read-model.factory.js';

/**
 * Drives every route of the OpenAPI document with requests generated from its schemas and from
 * hostile values (huge, deep, wrongly typed, malformed), in bodies, path and query parameters and
 * headers: no answer may be a 5xx or carry a stack trace, and every refusal is problem+json.
 */

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

type Schema = Record<string, any>;
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: { name: string; in: string; required?: boolean; schema: Schema }[];
  readonly body?: { contentType: string; schema: Schema };
}
interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const KIT = 42;
const RUN = randomUUID();
const JOB = randomUUID();
const MODEL = randomUUID();

let gw: GatewayHarness;
/** Valid tokens (an admin, a user with no role, an expired one) beside the forged and malformed ones below. */
let tokens: string[] = [];
let document: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

beforeAll(async () => {
  gw = await startGateway({
    prepareDatabase: (db) => migrateSchema(db, 'read', readModelMigrations('read')).then(() => undefined),
    env: { GATEWAY_RATE_LIMIT: '1000000/1m', AUTH_RATE_LIMIT: '1000000/1m' },
  });
  await insertRows(gw.db, 'kits', [F.kit({ kit_id: KIT, last_run_id: RUN, position: 3 })]);
  await insertRows(gw.db, 'runs', [F.run({ run_id: RUN, kit_id: KIT, position: 3 })]);
  await insertRows(gw.db, 'kit_state', [F.kitState({ kit_id: KIT, run_id: RUN, job_id: JOB, position: 2 })]);
  await insertRows(gw.db, 'state_history', [F.history({ kit_id: KIT, run_id: RUN, job_id: JOB, position: 1 })]);
  await insertRows(gw.db, 'deck_collection', [F.deckCollection({ job_id: JOB, run_id: RUN, kit_id: KIT, position: 2 })]);
  await insertRows(gw.db, 'models', [F.model({ model_id: MODEL, kit_id: KIT, run_id: RUN, position: 3 })]);
  // Every service's commands (the pipeline's, auth's, metrics'): one stand-in on the namespace's whole command subject.
  await respondTo(gw.bus, { pattern: 'cmd.>' } as CommandDefinition, () => ({ err: { code: 'conflict', message: 'refused by the stand-in service' } }));
  document = (await (await fetch(`${gw.url}/docs-json`)).json()) as typeof document;
  tokens = await Promise.all([
    gw.identity.token({ roles: ['admin'] }),
    gw.identity.token({ roles: ['admin'] }),
    gw.identity.token({ roles: ['admin'] }),
    gw.identity.token({ roles: ['logic.general'] }),
    gw.identity.token(),
    gw.identity.token({ roles: ['admin'], expiresInSeconds: -60 }),
  ]);
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await gw?.close();
});

/** Every operation of the document, with its parameters and JSON or multipart body schema. */
function operations(): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      return {
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as Operation['parameters'],
        body: contentType ? { contentType, schema: content[contentType].schema as Schema } : undefined,
      };
    }),
  );
}

const resolve = (schema: Schema): Schema => {
  if (schema.$ref) return resolve(document.components.schemas[String(schema.$ref).split('/').pop()!]!);
  if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), ...schema, allOf: undefined };
  return schema;
};

/** Values no schema allows, or that poke at parsers, coercions and limits. */
const hostileString = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'Infinity', 'null', 'true', '[]', '{}', '__proto__', 'constructor', '%', '%00', '..', '../../etc/passwd'),
  fc.constantFrom('\u0000', '\ud800', '💥'.repeat(50), "'; drop table read.kits; --", '<script>alert(1)</script>', 'W/"1"', '*', '"', '9'.repeat(400)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...[201, 501, 1_001, 4_001, 70_000].map((n) => 'x'.repeat(n))),
);
const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};
/** JSON nested `depth` levels deep, written out directly (serialising it would overflow the stack). */
const deepJson = (depth: number): string => {
  const open = Array.from({ length: depth }, (_, i) => (i % 2 ? '[' : '{"a":')).join('');
  const close = Array.from({ length: depth }, (_, i) => (i % 2 ? ']' : '}'))
    .reverse()
    .join('');
  return `${open}1${close}`;
};
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE),
  fc.integer({ min: 1, max: 300 }).map((depth) => nested(depth)),
  fc.constantFrom(...[0, 201, 10_001].map((n) => Array.from({ length: n }, (_, i) => i))),
  fc.constantFrom({ __proto__: { admin: true } }, JSON.parse('{"__proto__": {"polluted": 1}}'), { constructor: { prototype: { x: 1 } } }),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
);

/** A value of the schema, mostly valid, sometimes at or past its limits. */
function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (depth > 6) return fc.constant(null);
  if (s.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(s.enum as unknown[])) }, { weight: 1, arbitrary: hostileValue });
  if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf).map((o: Schema) => fromSchema(o, depth + 1)));
  if (s.allOf) return fromSchema(Object.assign({}, ...s.allOf.map(resolve)), depth);
  switch (s.type) {
    case 'integer':
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: s.minimum ?? -(2 ** 31), max: Math.min(s.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1) }) },
        { weight: 1, arbitrary: fc.constantFrom((s.minimum ?? 0) - 1, (s.maximum ?? 2 ** 31) + 1, 0.5, 2 ** 60) },
      );
    case 'number':
      return fc.oneof(
        { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom(-0, 1e308, 5e-324) },
      );
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.format === 'uuid') return fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileString });
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.oneof(
        { weight: 4, arbitrary: fc.string({ maxLength: Math.min(s.maxLength ?? 60, 60) }) },
        { weight: 1, arbitrary: fc.constant('y'.repeat((s.maxLength ?? 1000) + 1)) },
      );
    case 'array':
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(fromSchema(s.items ?? {}, depth + 1), { maxLength: Math.min(s.maxItems ?? 8, 8) }) },
        { weight: 1, arbitrary: fc.constant(Array.from({ length: (s.maxItems ?? 10_000) + 1 }, () => 1)) },
      );
    case 'object':
    default: {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.double(), fc.string({ maxLength: 8 })), { maxKeys: 6 });
      const props = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, fromSchema(v, depth + 1)]));
      return fc.record(props, { requiredKeys: (s.required ?? []) as never[] });
    }
  }
}

const withHostile = (arb: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: hostileValue });
const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'));

/** A request to one operation: path and query parameters, headers and a body, each valid or hostile. */
function requestTo(op: Operation): fc.Arbitrary<FuzzRequest> {
  const known = { kitId: KIT, runId: RUN, jobId: JOB, modelId: MODEL, deckId: randomUUID() } as Record<string, unknown>;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const param = (p: Operation['parameters'][number]) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(known[p.name] ?? 1) }, { weight: 3, arbitrary: fromSchema(p.schema) }, { weight: 2, arbitrary: hostileValue });
  const query = fc.array(
    fc.oneof(
      fc
        .constantFrom(...(queryParams.length ? queryParams : [{ name: 'x', in: 'query', schema: { type: 'string' } }]))
        .chain((p) => param(p).map((v) => [p.name, text(v)] as const)),
      fc.tuple(hostileString, hostileString),
      fc.tuple(fc.constantFrom('a[b][c][d][e][f][g]', 'limit[]', 'page[0]', '__proto__[x]', 'cursor'), hostileString),
    ),
    { maxLength: 5 },
  );
  const contentType = fc.constantFrom(
    op.body?.contentType ?? 'application/json',
    'application/json',
    'application/json; charset=utf-16',
    'application/problem+json',
    'text/plain',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '',
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: op.body && op.body.contentType.includes('json') ? withHostile(fromSchema(op.body.schema)).map(text) : fc.constant(undefined) },
    { weight: 1, arbitrary: hostileValue.map(text) },
    { weight: 1, arbitrary: fc.integer({ min: 30, max: 10_000 }).map(deepJson) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '[1,',
        '{"a":}',
        '\u0000',
        'null',
        '"str"',
        '{"__proto__":{"x":1}}',
        '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const headers = fc.record(
    {
      'content-type': contentType,
      'idempotency-key': withHostile(fc.uuid()).map(text),
      'if-none-match': withHostile(fc.constantFrom('"1"', 'W/"3"', '*', '"a", "b"')).map(text),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json', '🙃'),
      authorization: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...tokens).map((t) => `Bearer ${t}`) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'Bearer x',
            'Bearer ' + 'a'.repeat(1000),
            'Basic Zm9vOmJhcg==',
            'Bearer eyJhbGciOiJub25lIn0.e30.',
            `Bearer ${tokens[0]!.slice(0, -4)}AAAA`,
            tokens[0]!,
          ),
        },
      ),
      'x-correlation-id': withHostile(fc.uuid()).map(text),
    },
    { requiredKeys: ['authorization'] },
  );
  return fc.record({ path: fc.tuple(...pathParams.map(param)), query, headers, body }).map(({ path, query, headers, body }) => {
    let url = op.path;
    const encode = (value: string) => encodeURIComponent(value.slice(0, 1_000).replace(/[\ud800-\udfff]/g, '?'));
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, encode(text(path[i])))));
    const search = query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    const sanitized = Object.fromEntries(
      Object.entries(headers as Record<string, string>)
        // Header values must be ISO-8859-1 without controls to be sent at all.
        .map(([k, v]) => [k, v.slice(0, 2_000).replace(/[^\x20-\x7e]/g, '?')]),
    );
    return { method: op.method, url: search ? `${url}?${search}` : url, headers: sanitized, body: op.method === 'GET' ? undefined : body };
  });
}

interface Answer {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** Sends one request as it is (node:http: lighter than fetch, and it sends what fetch would refuse). */
function send(request: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers = { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const req = http.request(`${gw.url}${request.url}`, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ request, status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function sendAll(requests: readonly FuzzRequest[]): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) answers.push(await send(requests[next++]!));
    }),
  );
  return answers;
}

const STACK_TRACE = /\n\s+at |\.(js|ts):\d+:\d+|node_modules|TypeError|ReferenceError|RangeError|SyntaxError: Unexpected/;

describe('fuzzing every route of the OpenAPI document', () => {
  // First: routes with a rate limit of their own have not seen the fuzzing's requests yet.
  it('refuses a body nested 10,000 levels deep on every JSON route with 400 problem+json', async () => {
    const body = deepJson(10_000);
    for (const op of operations().filter((o) => o.body?.contentType.includes('json'))) {
      const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => String({ kitId: KIT, runId: RUN, modelId: MODEL }[name] ?? name));
      const answer = await send({
        method: op.method,
        url,
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${tokens[0]}` },
        body,
      });
      expect([answer.status, answer.type, op.path]).toEqual([400, expect.stringMatching(/^application\/problem\+json/), op.path]);
      expect(answer.text).toMatch(/nests deeper than 32 levels/);
    }
  });

  it(`answers ${REQUESTS} generated requests without a 5xx or a stack trace, refusing with problem+json`, async () => {
    const started = Date.now();
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const requests = fc.sample(fc.oneof(...ops.map(requestTo)), { numRuns: REQUESTS, seed: SEED });
    const generated = Date.now();
    const answers = await sendAll(requests);
    console.log(`fuzz: ${requests.length} requests generated in ${generated - started} ms, answered in ${Date.now() - generated} ms`);
    const describe = (a: Answer) =>
      `${a.status} ${a.request.method} ${a.request.url.slice(0, 200)} ${JSON.stringify(a.request.headers).slice(0, 300)} ${String(a.request.body).slice(0, 200)} → ${a.text.slice(0, 300)}`;
    expect(answers.filter((a) => a.status >= 500).map(describe)).toEqual([]);
    expect(answers.filter((a) => STACK_TRACE.test(a.text)).map(describe)).toEqual([]);
    expect(answers.filter((a) => a.status >= 400 && a.request.url.startsWith('/api') && !a.type.startsWith('application/problem+json')).map(describe)).toEqual(
      [],
    );
    // Each operation was reached, and some requests got through validation.
    const reached = new Set(answers.map((a) => `${a.request.method} ${a.request.url.split('?')[0]}`));
    expect(reached.size).toBeGreaterThanOrEqual(ops.length);
    expect(answers.some((a) => a.status < 300)).toBe(true);
  }, 300_000);

  it('answers headers too large for the server as a problem, not a bare status line', async () => {
    const answer = await send({
      method: 'GET',
      url: `/api/v1/kits/${KIT}/state`,
      headers: { authorization: `Bearer ${tokens[0]}`, 'x-padding': 'p'.repeat(20_000) },
    });
    expect([answer.status, answer.type]).toEqual([431, 'application/problem+json']);
  });
});
