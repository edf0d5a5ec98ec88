import { describe, it, expect } from '@jest/globals';
import { DATASET_TYPES, deckFormatOf, isDatasetType, isDeckFormat } from './deck-table.js';

describe('deck table vocabulary', () => {
  it('knows the dataset types Vector, Surf and Jetson', () => {
    expect(DATASET_TYPES).toEqual(['Vector', 'Surf', 'Jetson']);
    expect(isDatasetType('Surf')).toBe(true);
    expect(isDatasetType('surf')).toBe(false);
  });

  it('recognises the deck formats', () => {
    expect(isDeckFormat('json')).toBe(true);
    expect(isDeckFormat('xlsx')).toBe(false);
  });

  it('derives the format from a file name extension', () => {
    expect(deckFormatOf('kit-42/deck.CSV')).toBe('csv');
    expect(deckFormatOf('deck.tsv')).toBe('csv');
    expect(deckFormatOf('deck.json')).toBe('json');
    expect(deckFormatOf('deck.xlsx')).toBeUndefined();
    expect(deckFormatOf('deck')).toBeUndefined();
  });
});
