import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { canonicalJson, idempotencyKeyOf, keyedCommand } from './idempotency-key.js';

describe('Idempotency-Key', () => {
  it.each([['a'], ['k'.repeat(200)], ['order 7: retry #2 ~ (x)'], ['0b8f5a4e-4d7c-4c55-9d52-3a6f0c1c9f10']])('accepts %j', (key) => {
    expect(idempotencyKeyOf(key)).toBe(key);
  });

  it.each([
    ['an empty key', ''],
    ['a key longer than 200 characters', 'k'.repeat(201)],
    ['a control character', 'a\tb'],
    ['a character outside ASCII', 'clé'],
    ['a repeated header', ['a', 'b']],
  ])('refuses %s, naming the header', (_what, key) => {
    expect(() => idempotencyKeyOf(key)).toThrow(ValidationError);
    expect(() => idempotencyKeyOf(key)).toThrow(/Idempotency-Key/);
  });

  it('answers undefined when there is no header', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(keyedCommand(undefined, 'POST /x', {})).toBeUndefined();
  });

  it('digests equal requests equally however their JSON was written, and different ones differently', () => {
    const a = keyedCommand('k', 'POST /api/v1/kits/{kitId}/runs', { kitId: 1, body: { deckId: 'd', params: { doe: { points: 5, design: 'lhs' } } } });
    const b = keyedCommand('k', 'POST /api/v1/kits/{kitId}/runs', {
      body: { params: { doe: { design: 'lhs', points: 5 } }, deckId: 'd', sourcePath: undefined },
      kitId: 1,
    });
    const otherKit = keyedCommand('k', 'POST /api/v1/kits/{kitId}/runs', { kitId: 2, body: { deckId: 'd', params: { doe: { points: 5, design: 'lhs' } } } });
    const otherRoute = keyedCommand('k', 'POST /api/v1/runs/{runId}/control', {
      kitId: 1,
      body: { deckId: 'd', params: { doe: { points: 5, design: 'lhs' } } },
    });
    expect(a).toEqual({ key: 'k', route: 'POST /api/v1/kits/{kitId}/runs', requestDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(b).toEqual(a);
    expect(otherKit!.requestDigest).not.toBe(a!.requestDigest);
    expect(otherRoute!.requestDigest).not.toBe(a!.requestDigest);
  });

  it('keeps the order of arrays in the canonical form', () => {
    expect(canonicalJson({ b: [2, 1], a: null })).toBe('{"a":null,"b":[2,1]}');
  });
});
