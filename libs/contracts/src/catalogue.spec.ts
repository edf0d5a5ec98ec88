import { describe, expect, it } from '@jest/globals';
import { busNames } from './bus-namespace.js';
import { catalogue, findEvent } from './catalogue.js';
import { TASK_ORDER } from './job/job-status.js';
import { DatabaseEnvironment, BusEnvironment } from './config/service-environment.js';
import { ValidationError } from './errors/vista-error.js';
import { loadEnvironment, validateAs } from './validation.js';
import { StartKitRunV1 } from './kit-run/start-kit-run.command.js';

describe('the event catalogue', () => {
  it('names every event by its own type, once', () => {
    for (const [name, definition] of Object.entries(catalogue)) expect(definition.type).toBe(name);
  });

  it('maps every lifecycle event to a task with a place in the chain', () => {
    const lifecycle = Object.values(catalogue).filter((d) => d.lifecycle);
    expect(lifecycle.length).toBeGreaterThanOrEqual(24);
    for (const definition of lifecycle) {
      const task = definition.lifecycle!.task;
      const names = typeof task === 'function' ? ['preprocess', 'scaling', 'training', 'test'] : [task];
      for (const name of names) expect(TASK_ORDER).toHaveProperty(name);
    }
  });

  it('derives the subject from the contract: context, kit id, type', () => {
    const names = busNames('vista');
    const definition = findEvent('DeckCollectionStarted')!;
    const key = (definition.subjectKey as (p: object) => string | number)({ kitId: 42 });
    expect(names.eventSubject(definition.context, key, definition.type)).toBe('vista.evt.deck.42.DeckCollectionStarted');
  });

  it('finds nothing for a name it does not know, including inherited object keys', () => {
    expect(findEvent('NoSuchEvent')).toBeUndefined();
    expect(findEvent('toString')).toBeUndefined();
  });
});

describe('bus names', () => {
  it('isolates namespaces in streams, subjects and buckets', () => {
    const names = busNames('vista_t1a2b');
    expect(names.eventsStream).toBe('VISTA_T1A2B_EVENTS');
    expect(names.deadLetterStream).toBe('VISTA_T1A2B_DLQ');
    expect(names.allEvents).toBe('vista_t1a2b.evt.>');
    expect(names.uploadsBucket).toBe('vista_t1a2b_uploads');
    expect(names.deadLetterSubject('projector', 'Bad.Type')).toBe('vista_t1a2b.dlq.projector.Bad_Type');
  });

  it('refuses a namespace that could break subjects', () => {
    expect(() => busNames('Vista.evt')).toThrow(/must match/);
  });
});

describe('payload validation', () => {
  it('rejects unknown fields of a command, naming them', () => {
    expect(() =>
      validateAs(StartKitRunV1, { kitId: 1, deckId: 'e4c7a1de-46c5-4f0a-9f73-3f0a3e0f9a10', extra: 1 }, 'StartKitRun', { forbidUnknown: true }),
    ).toThrow(/extra: property extra should not exist/);
  });

  it('rejects a kit id that is not a positive 32-bit integer', () => {
    for (const kitId of [0, -1, 2_147_483_648, 1.5, '3']) {
      expect(() => validateAs(StartKitRunV1, { kitId, deckId: 'e4c7a1de-46c5-4f0a-9f73-3f0a3e0f9a10' }, 'StartKitRun')).toThrow(ValidationError);
    }
  });

  it('refuses a source path that leaves the deck folder', () => {
    expect(() => validateAs(StartKitRunV1, { kitId: 1, sourcePath: '../etc/passwd.csv' }, 'StartKitRun')).toThrow(/sourcePath/);
  });
});

describe('environment loading', () => {
  it('fills defaults and reads numbers', () => {
    const config = loadEnvironment([DatabaseEnvironment, BusEnvironment] as const, { DATABASE_POOL_MAX: '4' });
    expect(config.DATABASE_POOL_MAX).toBe(4);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('stops with a message naming the bad variable', () => {
    expect(() => loadEnvironment([DatabaseEnvironment] as const, { DATABASE_POOL_MAX: 'many' })).toThrow(/DATABASE_POOL_MAX="many"/);
  });
});
