import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { ValidationError } from '@vista/contracts';
import { MAX_BODY_DEPTH, createValidationPipe, nestingDepth } from '../http/validation.pipe.js';
import { NumberedListQuery } from './list.query.js';
import { HistoryQuery, JobLogsQuery, ModelPageQuery } from './paging.query.js';
import { KitIdParams, RunIdParams } from './path.params.js';
import { PredictRequest } from './predict.request.js';
import { RunControlRequest } from './run-control.request.js';
import { StartKitRunRequest } from './start-kit-run.request.js';
import { UploadDeckFields } from './upload-deck.request.js';

const sut = createValidationPipe();
const DECK_ID = '3f1c2b9e-8a57-4d2b-9d0e-6c2f1a7b4e10';

const validate = <T>(metatype: new () => T, type: ArgumentMetadata['type'], value: unknown): Promise<T> =>
  sut.transform(value, { type, metatype, data: undefined }) as Promise<T>;

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('path parameters', () => {
  it('reads a kit id written as a decimal integer', async () => {
    await expect(validate(KitIdParams, 'param', { kitId: '42' })).resolves.toEqual(Object.assign(new KitIdParams(), { kitId: 42 }));
    await expect(validate(KitIdParams, 'param', { kitId: '2147483647' })).resolves.toMatchObject({ kitId: 2_147_483_647 });
  });

  it.each(['0', '-1', 'abc', '2147483648', '1.5', '1e3', ' 7', ''])('refuses the kit id %p, naming kitId', async (kitId) => {
    const error = await rejection(validate(KitIdParams, 'param', { kitId }));
    expect(error.code).toBe('invalid');
    expect(error.issues?.every((i) => i.path === 'kitId')).toBe(true);
  });

  it('refuses a run id that is not a UUID', async () => {
    const error = await rejection(validate(RunIdParams, 'param', { runId: 'run-1' }));
    expect(error.issues).toEqual([{ path: 'runId', message: 'runId must be a UUID' }]);
  });
});

describe('POST /kits/{kitId}/runs body', () => {
  it('takes a deck id with parameters', async () => {
    const params = {
      response: 'yield',
      doe: { design: 'central-composite', centerPoints: 3, bounds: { x1: [0, 10] } },
      ml: { scaling: 'robust', algorithm: 'random-forest', hyperparameters: { nEstimators: 50 } },
      optimize: { goal: 'target', target: 0.9 },
    };
    await expect(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, params })).resolves.toMatchObject({ deckId: DECK_ID, params });
  });

  it.each([
    ['an unknown design type', { doe: { design: 'taguchi' } }, 'params.doe.design'],
    ['a negative point count', { doe: { points: -5 } }, 'params.doe.points'],
    ['bounds whose low is above the high', { doe: { bounds: { x1: [3, 1] } } }, 'params.doe.bounds'],
    ['a target goal without a target', { optimize: { goal: 'target' } }, 'params.optimize.target'],
    ['an unknown hyperparameter', { ml: { hyperparameters: { depth: 3 } } }, 'params.ml.hyperparameters.depth'],
    ['an unknown stage', { report: { pdf: true } }, 'params.report'],
  ])('refuses params with %s, naming the field path', async (_what, params, path) => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, params }));
    expect(error.issues?.map((i) => i.path)).toEqual([path]);
  });

  it('says which factor has reversed bounds', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, params: { doe: { bounds: { x1: [3, 1] } } } }));
    expect(error.issues?.[0]?.message).toMatch(/x1: low \(3\) must be below high \(1\)/);
  });

  it('takes a relative source path', async () => {
    await expect(validate(StartKitRunRequest, 'body', { sourcePath: 'plant-a/march.csv' })).resolves.toMatchObject({ sourcePath: 'plant-a/march.csv' });
  });

  it('refuses an unknown field, naming it', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, priority: 'high' }));
    expect(error.issues).toEqual([{ path: 'priority', message: 'property priority should not exist' }]);
  });

  it('refuses a deck id of the wrong type', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: 12 }));
    expect(error.issues?.map((i) => i.path)).toEqual(['deckId']);
  });

  it('refuses params that are not an object', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, params: 'fast' }));
    expect(error.issues?.[0]).toEqual({ path: 'params', message: 'params must be an object' });
    expect(error.issues?.every((i) => i.path === 'params')).toBe(true);
  });

  it('refuses a body naming neither a deck nor a source', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', {}));
    expect(error.issues?.[0]?.message).toMatch(/give deckId or sourcePath/);
  });

  it('refuses a body naming both a deck and a source', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, sourcePath: 'a.csv' }));
    expect(error.issues).toEqual([{ path: 'sourcePath', message: 'give either deckId or sourcePath, not both' }]);
  });

  it.each(['/etc/passwd.csv', '../secrets.csv', 'deck.xlsx'])('refuses the source path %p', async (sourcePath) => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { sourcePath }));
    expect(error.issues?.map((i) => i.path)).toEqual(['sourcePath']);
  });
});

describe('POST /runs/{runId}/control body', () => {
  it('takes stop with a reason', async () => {
    await expect(validate(RunControlRequest, 'body', { action: 'stop', reason: 'wrong deck' })).resolves.toMatchObject({ action: 'stop' });
  });

  it('takes retry', async () => {
    await expect(validate(RunControlRequest, 'body', { action: 'retry' })).resolves.toMatchObject({ action: 'retry' });
  });

  it('refuses an unknown action', async () => {
    const error = await rejection(validate(RunControlRequest, 'body', { action: 'pause' }));
    expect(error.issues?.map((i) => i.path)).toEqual(['action']);
  });
});

describe('deck upload fields', () => {
  it('reads comma-separated and repeated column lists', async () => {
    const fields = await validate(UploadDeckFields, 'body', {
      name: ' plant A ',
      datasetType: 'Surf',
      factors: 'temperature, pressure,,',
      responses: ['yield', 'purity,cost'],
    });
    expect(fields).toMatchObject({ name: 'plant A', datasetType: 'Surf', factors: ['temperature', 'pressure'], responses: ['yield', 'purity', 'cost'] });
  });

  it('refuses an unknown dataset type and an unknown field', async () => {
    const error = await rejection(validate(UploadDeckFields, 'body', { name: 'a', datasetType: 'Laser', owner: 'me' }));
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['datasetType', 'owner']);
  });

  it('refuses a blank name', async () => {
    const error = await rejection(validate(UploadDeckFields, 'body', { name: '   ', datasetType: 'Vector' }));
    expect(error.issues?.map((i) => i.path)).toEqual(['name']);
  });

  it('refuses an empty column list', async () => {
    const error = await rejection(validate(UploadDeckFields, 'body', { name: 'a', datasetType: 'Vector', factors: ' , ' }));
    expect(error.issues?.map((i) => i.path)).toEqual(['factors']);
  });
});

describe('POST /models/{modelId}/predict body', () => {
  it('takes rows by factor name and rows in factor order', async () => {
    await expect(validate(PredictRequest, 'body', { rows: [{ x1: 1, x2: 2.5 }, [3, 4]] })).resolves.toMatchObject({ rows: [{ x1: 1, x2: 2.5 }, [3, 4]] });
  });

  it.each([
    ['no rows', { rows: [] }, /at least one row/],
    ['too many rows', { rows: Array.from({ length: 10_001 }, () => [1]) }, /at most 10000 rows/],
    ['a value that is not a number', { rows: [[1, 2], { x1: '3' }] }, /rows\.1 must map factor names to finite numbers/],
    ['an empty row', { rows: [[]] }, /rows\.0 must be a non-empty array/],
    ['a row too long', { rows: [Array.from({ length: 257 }, () => 1)] }, /rows\.0 may hold at most 256 values/],
    ['a factor name too long', { rows: [{ ['f'.repeat(201)]: 1 }] }, /factor names may be at most 200 characters/],
    ['a row that is a number', { rows: [7] }, /rows\.0 must be an object/],
    ['rows that are not a list', { rows: { x1: 1 } }, /rows must be an array/],
  ])('refuses %s, naming rows', async (_what, body, message) => {
    const error = await rejection(validate(PredictRequest, 'body', body));
    expect(error.issues).toEqual([{ path: 'rows', message: expect.stringMatching(message) }]);
  });
});

describe('model and log queries', () => {
  it('reads the model filters with the page', async () => {
    const runId = '8a3e7f3c-2f1e-4c59-9a51-111111111111';
    await expect(validate(ModelPageQuery, 'query', { kitId: '7', runId, algorithm: 'ridge', page: '2' })).resolves.toMatchObject({
      kitId: 7,
      runId,
      algorithm: 'ridge',
      page: 2,
      pageSize: 50,
    });
  });

  it('refuses a kit id that is not an integer and a run id that is not a UUID', async () => {
    const error = await rejection(validate(ModelPageQuery, 'query', { kitId: '1.5', runId: 'r1' }));
    expect([...new Set(error.issues?.map((i) => i.path))].sort()).toEqual(['kitId', 'runId']);
  });

  it('defaults the log page and reads an attempt', async () => {
    await expect(validate(JobLogsQuery, 'query', {})).resolves.toMatchObject({ limit: 1000, offset: 0 });
    await expect(validate(JobLogsQuery, 'query', { attempt: '2' })).resolves.toMatchObject({ attempt: 2 });
    const error = await rejection(validate(JobLogsQuery, 'query', { attempt: '0' }));
    expect(error.issues?.map((i) => i.path)).toEqual(['attempt']);
  });
});

describe('paging queries', () => {
  it('defaults page and page size', async () => {
    await expect(validate(NumberedListQuery, 'query', {})).resolves.toMatchObject({ page: 1, pageSize: 50 });
    await expect(validate(HistoryQuery, 'query', {})).resolves.toMatchObject({ limit: 100, afterPosition: 0 });
  });

  it('reads given values', async () => {
    await expect(validate(NumberedListQuery, 'query', { page: '3', pageSize: '20' })).resolves.toMatchObject({ page: 3, pageSize: 20 });
  });

  it('refuses a page size above 200 and an unknown parameter', async () => {
    const error = await rejection(validate(NumberedListQuery, 'query', { pageSize: '500', sort: 'name' }));
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['pageSize', 'sort']);
  });
});

describe('deeply nested bodies', () => {
  const nested = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };

  it('counts nesting without recursion, stopping past the limit', () => {
    expect(nestingDepth(7, 32)).toBe(0);
    expect(nestingDepth({ a: [1, { b: 2 }] }, 32)).toBe(3);
    expect(nestingDepth(nested(10_000), 32)).toBe(33);
  });

  it('refuses a body nested 10,000 levels deep with a clear error naming the body, instead of overflowing the stack', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { sourcePath: 'deck.csv', params: nested(10_000) }));
    expect(error.code).toBe('invalid');
    expect(error.message).toBe(`the request body nests deeper than ${MAX_BODY_DEPTH} levels`);
    expect(error.issues).toEqual([{ path: 'body', message: `nested more than ${MAX_BODY_DEPTH} levels deep` }]);
  });

  it('still validates an ordinary nested body field by field', async () => {
    const error = await rejection(validate(StartKitRunRequest, 'body', { sourcePath: 'deck.csv', params: { doe: { points: -1 } } }));
    expect(error.issues?.map((i) => i.path)).toContain('params.doe.points');
  });
});
