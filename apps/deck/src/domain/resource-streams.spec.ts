import { describe, expect, it } from '@jest/globals';
import { foldDeck, foldKit, mayChange, withoutNulls } from './resource-streams.js';

const by = (actor: string) => ({ metadata: { actor } });

describe('foldDeck', () => {
  it('starts from the ingested deck, takes each whole profile after it and remembers the archive', () => {
    const state = foldDeck('d1', [
      { type: 'DeckIngested', data: { name: 'a', datasetType: 'Vector', groundTruth: 'gt://1' }, ...by('alice') },
      { type: 'DeckUpdated', data: { name: 'b', description: 'why', datasetType: 'Surf' }, ...by('alice') },
      { type: 'DeckArchived', data: { name: 'b', description: 'why', datasetType: 'Surf' }, ...by('admin') },
    ]);
    expect(state).toEqual({
      deckId: 'd1',
      owner: 'alice',
      name: 'b',
      description: 'why',
      datasetType: 'Surf',
      groundTruth: null,
      archived: true,
      version: 3,
    });
  });

  it('is undefined for a stream that never ingested a deck', () => expect(foldDeck('d1', [])).toBeUndefined());
});

describe('foldKit', () => {
  it('keeps the creator as owner whoever updates the kit', () => {
    const state = foldKit(7, [
      { type: 'KitCreated', data: { name: 'k', defaultParams: { goal: 'minimize' } }, ...by('bob') },
      { type: 'KitUpdated', data: { name: 'k2', defaultParams: {}, projectId: 'p' }, ...by('root') },
    ]);
    expect(state).toMatchObject({ kitId: 7, owner: 'bob', name: 'k2', projectId: 'p', defaultParams: {}, archived: false, version: 2 });
  });
});

describe('foldKit of a kit started by id', () => {
  it("starts unnamed, owned by its first run's starter, and takes its first update", () => {
    expect(foldKit(9, [], 'carol')).toMatchObject({ kitId: 9, owner: 'carol', name: 'kit 9', version: 0 });
    const named = foldKit(9, [{ type: 'KitUpdated', data: { name: 'line 9', defaultParams: {} }, ...by('root') }], 'carol');
    expect(named).toMatchObject({ owner: 'carol', name: 'line 9', version: 1 });
  });
});

describe('mayChange and withoutNulls', () => {
  it('lets the owner and an admin change an object, nobody else', () => {
    expect(mayChange('a', [], 'a')).toBe(true);
    expect(mayChange('b', ['admin'], 'a')).toBe(true);
    expect(mayChange('b', ['logic.general'], 'a')).toBe(false);
  });

  it('drops unset optional fields', () => expect(withoutNulls({ a: 1, b: null, c: undefined })).toEqual({ a: 1 }));
});
