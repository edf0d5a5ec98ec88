import { describe, expect, it } from '@jest/globals';
import { type StoredEventRow, fromRow, toEnvelope } from './stored-event.js';

describe('stored events', () => {
  const row: StoredEventRow = {
    global_position: 12,
    transaction_id: '7781',
    stream_id: 'doe-run-1',
    stream_version: 3,
    event_id: '6f1c2f9e-2a64-4a0c-9c53-0d4f3b1b2a10',
    type: 'DoeStarted',
    schema_version: 1,
    data: { kitId: 7 },
    metadata: { actor: 'user:1', correlationId: '0b7c4c0e-8f0e-4d59-9a63-3b0b7d5b8f11' },
    occurred_at: new Date('2026-11-21T10:00:00.000Z'),
  };

  it('turns a row into the bus envelope, with the owning schema as its context and the log position it has there', () => {
    expect(toEnvelope(fromRow(row), 'doe')).toEqual({
      eventId: row.event_id,
      type: 'DoeStarted',
      schemaVersion: 1,
      streamId: 'doe-run-1',
      streamVersion: 3,
      context: 'doe',
      occurredAt: '2026-11-21T10:00:00.000Z',
      metadata: row.metadata,
      data: { kitId: 7 },
      position: 12,
    });
  });

  it('keeps the log position and transaction id of the row', () => {
    expect(fromRow(row)).toMatchObject({ globalPosition: 12, transactionId: '7781', occurredAt: row.occurred_at });
  });
});
