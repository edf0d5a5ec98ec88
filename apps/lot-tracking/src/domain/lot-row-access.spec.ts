import { describe, expect, it } from '@jest/globals';
import { type Actor, type AssignableModel, mayUse, modelIssues } from './lot-row-access.js';

const model: AssignableModel = { setupModelId: 'm1', name: 'Etch CD', ownerId: 'owner', factors: ['temperature', 'pressure'] };
const actor = (o: Partial<Actor> = {}): Actor => ({ userId: 'u1', roles: ['logic.general'], granted: new Set(), ...o });

describe('mayUse', () => {
  it("lets the model's owner, an admin and a granted user use it, and nobody else", () => {
    expect(mayUse(actor({ userId: 'owner' }), model)).toBe(true);
    expect(mayUse(actor({ roles: ['admin'] }), model)).toBe(true);
    expect(mayUse(actor({ granted: new Set(['m1']) }), model)).toBe(true);
    expect(mayUse(actor({ granted: new Set(['m2']) }), model)).toBe(false);
    expect(mayUse(actor(), model)).toBe(false);
  });
});

describe('modelIssues', () => {
  it("accepts exactly the model's factors", () => {
    expect(modelIssues({ setupModelId: 'm1', factors: { temperature: 1, pressure: 2 } }, model, '')).toEqual([]);
  });

  it('names missing and unknown factors at the row', () => {
    expect(modelIssues({ setupModelId: 'm1', factors: { temperature: 1, humidity: 2 } }, model, 'rows[2].')).toEqual([
      { path: 'rows[2].factors', message: 'model Etch CD needs the factors pressure' },
      { path: 'rows[2].factors', message: 'model Etch CD has no factors humidity (it has temperature, pressure)' },
    ]);
  });

  it('names a model that does not exist, and accepts any factors when the model does not list them', () => {
    expect(modelIssues({ setupModelId: 'gone', factors: { a: 1 } }, undefined, 'line 4: ')).toEqual([
      { path: 'line 4: setupModelId', message: 'set-up model gone does not exist' },
    ]);
    expect(modelIssues({ setupModelId: 'm1', factors: { a: 1 } }, { ...model, factors: null }, '')).toEqual([]);
  });
});
