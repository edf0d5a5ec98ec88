import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { ValidationError } from '@vista/contracts';
import { createValidationPipe } from '../http/validation.pipe.js';
import { HistoryQuery, KitPageQuery } from './paging.query.js';
import { KitIdParams, RunIdParams } from './path.params.js';
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
    await expect(validate(StartKitRunRequest, 'body', { deckId: DECK_ID, params: { design: 'lhs' } })).resolves.toMatchObject({
      deckId: DECK_ID,
      params: { design: 'lhs' },
    });
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
    expect(error.issues).toEqual([{ path: 'params', message: 'params must be an object' }]);
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

describe('paging queries', () => {
  it('defaults page and page size', async () => {
    await expect(validate(KitPageQuery, 'query', {})).resolves.toMatchObject({ page: 1, pageSize: 50 });
    await expect(validate(HistoryQuery, 'query', {})).resolves.toMatchObject({ limit: 100, afterPosition: 0 });
  });

  it('reads given values', async () => {
    await expect(validate(KitPageQuery, 'query', { page: '3', pageSize: '20' })).resolves.toMatchObject({ page: 3, pageSize: 20 });
  });

  it('refuses a page size above 200 and an unknown parameter', async () => {
    const error = await rejection(validate(KitPageQuery, 'query', { pageSize: '500', sort: 'name' }));
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['pageSize', 'sort']);
  });
});
