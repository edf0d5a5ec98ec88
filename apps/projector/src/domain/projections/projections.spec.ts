import { describe, expect, it } from '@jest/globals';
import { catalogue } from '@vista/contracts';
import { UPSERTED_TABLES } from '@vista/read-model';
import { PROJECTIONS } from './index.js';

describe('projections', () => {
  it('has one projection for every job lifecycle event of the catalogue, found by its name', () => {
    const lifecycle = Object.values(catalogue)
      .filter((d) => d.lifecycle)
      .map((d) => d.type);
    expect(lifecycle.filter((type) => !PROJECTIONS.has(type))).toEqual([]);
  });

  it('projects only events the catalogue knows', () => {
    const known = new Set(Object.values(catalogue).map((d) => d.type));
    expect([...PROJECTIONS.keys()].filter((type) => !known.has(type as never))).toEqual([]);
  });

  it('declares a merge rule with every upserted table', () => {
    for (const table of Object.values(UPSERTED_TABLES)) expect(table.merge?.key.length).toBeGreaterThan(0);
  });
});
