import { describe, expect, it } from '@jest/globals';
import { busNames } from '@vista/contracts';
import { doeStartedEnvelope } from '../testing/envelope.factory.js';
import { subjectOf } from './event-publisher.js';

describe('subjectOf', () => {
  const names = busNames('vista_t1');

  it('puts a kit event on <ns>.evt.<context>.<kitId>.<Type>', () => {
    expect(subjectOf(names, doeStartedEnvelope({ data: { kitId: 42 } }))).toBe('vista_t1.evt.doe.42.DoeStarted');
  });

  it('uses the contract key for events outside a kit, with separators made safe', () => {
    const envelope = { ...doeStartedEnvelope(), type: 'DeckIngested', context: 'deck', data: { deckId: 'a.b c' } };

    expect(subjectOf(names, envelope)).toBe('vista_t1.evt.deck.deck-a_b_c.DeckIngested');
  });

  it('refuses a type the catalogue does not know', () => {
    expect(() => subjectOf(names, doeStartedEnvelope({ type: 'KitExploded' }))).toThrow(/not in the catalogue/);
  });
});
