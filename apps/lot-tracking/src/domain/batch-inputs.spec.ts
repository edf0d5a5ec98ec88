import { describe, expect, it } from '@jest/globals';
import { type BatchModel, type BatchRow, chunksByModel, planBatch, utcDate } from './batch-inputs.js';

const MODEL_A = '00000000-0000-4000-8000-00000000000a';
const MODEL_B = '00000000-0000-4000-8000-00000000000b';

const row = (o: Partial<BatchRow> & { rowId: string }): BatchRow => ({
  version: 1,
  lotId: `LOT-${o.rowId}`,
  product: 'DRAM-D1B',
  processStep: 'ETCH-120',
  equipment: 'EQ-ETCH-07',
  waferCount: 25,
  setupModelId: MODEL_A,
  factors: { temperature: 350, pressure: 2 },
  ...o,
});

const models = new Map<string, BatchModel>([
  [MODEL_A, { setupModelId: MODEL_A, registryModelId: 'reg-a', modelVersion: 1, factors: ['temperature', 'pressure'], response: 'cd' }],
  [MODEL_B, { setupModelId: MODEL_B, registryModelId: 'reg-b', modelVersion: null, factors: null, response: null }],
]);

describe('planBatch', () => {
  it('gives the same digest for the same rows in any order', () => {
    const rows = [row({ rowId: '1' }), row({ rowId: '2' })];
    expect(planBatch(rows, models).digest).toBe(planBatch([...rows].reverse(), models).digest);
    expect(planBatch(rows, models).digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes the digest when one row's factor changes, or its version", () => {
    const before = planBatch([row({ rowId: '1' }), row({ rowId: '2' })], models).digest;
    expect(planBatch([row({ rowId: '1' }), row({ rowId: '2', factors: { temperature: 351, pressure: 2 } })], models).digest).not.toBe(before);
    expect(planBatch([row({ rowId: '1' }), row({ rowId: '2', version: 2 })], models).digest).not.toBe(before);
  });

  it('changes the digest when a model version changes', () => {
    const rows = [row({ rowId: '1' })];
    const newer = new Map(models);
    newer.set(MODEL_A, { ...models.get(MODEL_A)!, modelVersion: 2 });
    expect(planBatch(rows, newer).digest).not.toBe(planBatch(rows, models).digest);
  });

  it('leaves out rows whose model is unknown or not registered, or which lack a factor, saying why', () => {
    const plan = planBatch(
      [
        row({ rowId: '1' }),
        row({ rowId: '2', setupModelId: MODEL_B }),
        row({ rowId: '3', factors: { temperature: 1 } }),
        row({ rowId: '4', setupModelId: 'gone' }),
      ],
      models,
    );
    expect(plan.rows.map((r) => r.rowId)).toEqual(['1']);
    expect(plan.skipped).toEqual([
      { rowId: '2', reason: 'registry model reg-b is not registered' },
      { rowId: '3', reason: 'factors pressure are missing' },
      { rowId: '4', reason: 'set-up model gone is not known' },
    ]);
    expect(plan.models).toEqual({ [MODEL_A]: { registryModelId: 'reg-a', modelVersion: 1 } });
  });
});

describe('chunksByModel', () => {
  it('never mixes models in a chunk and keeps chunks within the size', () => {
    const rows = [row({ rowId: '1' }), row({ rowId: '2', setupModelId: MODEL_B }), row({ rowId: '3' }), row({ rowId: '4' })];
    expect(chunksByModel(rows, 2).map((c) => c.map((r) => r.rowId))).toEqual([['1', '3'], ['4'], ['2']]);
  });
});

describe('utcDate', () => {
  it('is the UTC calendar date', () => {
    expect(utcDate(new Date('2026-12-03T23:30:00-05:00'))).toBe('2026-12-04');
  });
});
