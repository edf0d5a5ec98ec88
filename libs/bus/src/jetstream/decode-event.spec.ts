import { describe, expect, it } from '@jest/globals';
import { doeStartedEnvelope, encodeEnvelope } from '../testing/envelope.factory.js';
import { decodeEvent } from './decode-event.js';

describe('decodeEvent', () => {
  it('returns the validated envelope and its stream position for a valid message', () => {
    const envelope = doeStartedEnvelope();

    const decoded = decodeEvent(encodeEnvelope(envelope), 42);

    expect(decoded).toEqual({
      ok: true,
      event: { envelope: expect.objectContaining({ eventId: envelope.eventId, type: 'DoeStarted' }), position: 42, sequence: 42 },
    });
    expect(decoded.ok && decoded.event.envelope.data).toMatchObject(envelope.data);
  });

  it("orders by the envelope's source-log position, not the stream sequence", () => {
    const decoded = decodeEvent(encodeEnvelope(doeStartedEnvelope({ position: 9_001 })), 42);

    expect(decoded.ok && decoded.event).toMatchObject({ position: 9_001, sequence: 42 });
  });

  it('refuses a position that is not a positive integer', () => {
    const decoded = decodeEvent(encodeEnvelope({ ...doeStartedEnvelope(), position: -3 }), 42);

    expect(decoded).toMatchObject({ ok: false, reason: expect.stringContaining('position must be a positive integer') });
  });

  it('strips payload fields the contract does not declare (a newer producer may add some)', () => {
    const decoded = decodeEvent(encodeEnvelope(doeStartedEnvelope({ data: { addedLater: 'x' } })), 1);

    expect(decoded.ok && decoded.event.envelope.data).not.toHaveProperty('addedLater');
  });

  it('refuses a body that is not JSON, saying so', () => {
    expect(decodeEvent(new TextEncoder().encode('{not json'), 1)).toEqual({ ok: false, reason: expect.stringMatching(/^body is not JSON/) });
  });

  it('refuses JSON that is not an object', () => {
    expect(decodeEvent(encodeEnvelope([1, 2]), 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/must be a JSON object/) });
    expect(decodeEvent(encodeEnvelope(null), 1)).toMatchObject({ ok: false });
  });

  it('refuses an envelope missing its id, naming the field', () => {
    const { eventId: _eventId, ...envelope } = doeStartedEnvelope();

    expect(decodeEvent(encodeEnvelope(envelope), 1)).toEqual({ ok: false, reason: expect.stringContaining('eventId'), type: 'DoeStarted' });
  });

  it.each([
    ['a correlation id that is not a UUID', { metadata: { actor: 'me', correlationId: 'abc' } }, /metadata\.correlationId/],
    ['no actor', { metadata: { correlationId: 'c5b0a6a2-6d4e-4f53-9a43-2f1f0c1a7e11' } }, /metadata\.actor/],
    ['an occurred-at that is not an instant', { occurredAt: 'yesterday' }, /occurredAt/],
    ['a stream version of zero', { streamVersion: 0 }, /streamVersion/],
    ['an unknown context', { context: 'billing' }, /context/],
    ['data that is not an object', { data: [1] }, /data must be an object/],
  ])('refuses an envelope with %s, naming the field', (_what, change, reason) => {
    const decoded = decodeEvent(encodeEnvelope({ ...doeStartedEnvelope(), ...change }), 1);

    expect(decoded).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses an event type the catalogue does not know, naming it', () => {
    expect(decodeEvent(encodeEnvelope(doeStartedEnvelope({ type: 'KitExploded' })), 1)).toEqual({
      ok: false,
      reason: 'unknown event type KitExploded',
      type: 'KitExploded',
    });
  });

  it('refuses a schema version this consumer does not support', () => {
    expect(decodeEvent(encodeEnvelope(doeStartedEnvelope({ schemaVersion: 2 })), 1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('schema version 2 is not supported'),
    });
  });

  it('refuses an invalid payload, naming each bad field', () => {
    const decoded = decodeEvent(encodeEnvelope(doeStartedEnvelope({ data: { kitId: 'seven', jobId: 'nope' } })), 1);

    expect(decoded).toMatchObject({ ok: false, type: 'DoeStarted' });
    expect(!decoded.ok && decoded.reason).toMatch(/DoeStarted payload is invalid: .*kitId.*jobId/);
  });

  it('ignores an event of a type the consumer does not take, without validating its payload', () => {
    const invalid = encodeEnvelope(doeStartedEnvelope({ data: { kitId: 'seven' } }));

    expect(decodeEvent(invalid, 3, (type) => type === 'DoeCompleted')).toEqual({
      ok: false,
      ignored: true,
      type: 'DoeStarted',
      reason: 'DoeStarted is not handled here',
    });
  });

  it('still refuses an invalid payload of a type the consumer takes', () => {
    const invalid = encodeEnvelope(doeStartedEnvelope({ data: { kitId: 'seven' } }));

    expect(decodeEvent(invalid, 3, (type) => type === 'DoeStarted')).toEqual({ ok: false, reason: expect.stringContaining('kitId'), type: 'DoeStarted' });
  });
});
