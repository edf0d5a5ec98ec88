import { describe, expect, it } from '@jest/globals';
import { KitRunParamsV1 } from '@vista/contracts';
import { classSchemas } from './class-schema.js';

describe('classSchemas', () => {
  const sut = classSchemas(KitRunParamsV1);

  it('describes the class and every class nested in it, by name, refusing unknown fields', () => {
    expect(Object.keys(sut).sort()).toEqual(['DoeParamsV1', 'HyperparametersV1', 'KitRunParamsV1', 'MlParamsV1', 'OptimizeParamsV1']);
    expect(sut.KitRunParamsV1).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { doe: { allOf: [{ $ref: '#/components/schemas/DoeParamsV1' }] } },
    });
    expect(sut.MlParamsV1!.properties!.hyperparameters).toEqual({ allOf: [{ $ref: '#/components/schemas/HyperparametersV1' }] });
  });

  it('turns the validators into types, enums and ranges', () => {
    expect(sut.DoeParamsV1!.properties).toMatchObject({
      design: { type: 'string', enum: ['full-factorial', 'latin-hypercube', 'central-composite', 'box-behnken'] },
      points: { type: 'integer', minimum: 2, maximum: 100_000 },
      bounds: { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
    });
    expect(sut.OptimizeParamsV1!.properties).toMatchObject({ tuneHyperparameters: { type: 'boolean' }, target: { type: 'number' } });
  });

  it('requires nothing that is optional or conditional', () => {
    for (const schema of Object.values(sut)) expect(schema.required).toBeUndefined();
  });
});
