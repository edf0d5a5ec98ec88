import { describe, expect, it } from '@jest/globals';
import { busNames } from './bus-namespace.js';

describe('busNames', () => {
  it('derives subjects, streams and the bucket from the namespace', () => {
    const names = busNames('vista');

    expect(names).toMatchObject({
      namespace: 'vista',
      eventsStream: 'VISTA_EVENTS',
      deadLetterStream: 'VISTA_DLQ',
      uploadsBucket: 'vista_uploads',
      allEvents: 'vista.evt.>',
      allDeadLetters: 'vista.dlq.>',
    });
    expect(names.eventSubject('doe', 42, 'DoeCompleted')).toBe('vista.evt.doe.42.DoeCompleted');
    expect(names.eventTypeSubject('doe', 'DoeCompleted')).toBe('vista.evt.doe.*.DoeCompleted');
    expect(names.commandSubject('cmd.deck.StartKitRun')).toBe('vista.cmd.deck.StartKitRun');
    expect(names.deadLetterSubject('projector', 'DoeCompleted')).toBe('vista.dlq.projector.DoeCompleted');
  });

  it('upper-cases stream names and turns every other character into _', () => {
    expect(busNames('vista_t1a-2b').eventsStream).toBe('VISTA_T1A_2B_EVENTS');
    expect(busNames('vista_t1a-2b').deadLetterStream).toBe('VISTA_T1A_2B_DLQ');
  });

  it('never lets a key or a consumer name add subject tokens or wildcards', () => {
    const names = busNames('vista');

    expect(names.eventSubject('deck', 'a.b*c >d', 'DeckIngested')).toBe('vista.evt.deck.a_b_c__d.DeckIngested');
    expect(names.eventSubject('deck', '', 'DeckIngested')).toBe('vista.evt.deck._.DeckIngested');
    expect(names.deadLetterSubject('my.consumer', 'A>B')).toBe('vista.dlq.my_consumer.A_B');
  });

  it('refuses a namespace that is not lower-case letters, digits, _ or -', () => {
    for (const bad of ['', 'Vista', '1vista', 'vi.sta', 'vi sta', 'a'.repeat(41)]) {
      expect(() => busNames(bad)).toThrow(/bus namespace/);
    }
  });
});
