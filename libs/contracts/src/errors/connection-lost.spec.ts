import { describe, expect, it } from '@jest/globals';
import { isConnectionLost } from './connection-lost.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it.each([
    ['an administrator terminating the backend (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['a crash shutdown (57P02)', withCode('57P02')],
    ['a server that cannot take connections yet (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['a reset socket', withCode('ECONNRESET', 'read ECONNRESET')],
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['node-postgres ending a connection under a query', new Error('Connection terminated unexpectedly')],
    ['a client used after its connection failed', new Error('Client has encountered a connection error and is not queryable')],
    ['a lost connection kept as the cause', new Error('appending failed', { cause: new Error('Connection terminated unexpectedly') })],
    ['one of several connection attempts refused', new AggregateError([withCode('ECONNREFUSED')], 'connect failed')],
  ])('recognises %s', (_, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', withCode('42601')],
    ['a pool with no free client in time (load, not a lost connection)', new Error('timeout exceeded when trying to connect')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a string', 'Connection terminated'],
    ['nothing', undefined],
  ])('does not take %s for a lost connection', (_, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});
