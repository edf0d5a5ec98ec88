import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ConflictError, type ErrorCode, NotFoundError, ValidationError, VistaError } from '@vista/contracts';
import { toProblem } from './problem.js';

const context = { instance: '/api/v1/kits/7/runs', correlationId: '0b8f5a4e-4d7c-4c55-9d52-3a6f0c1c9f10' };

describe('toProblem', () => {
  it.each<[ErrorCode, number]>([
    ['invalid', 400],
    ['forbidden', 403],
    ['not-found', 404],
    ['conflict', 409],
    ['idempotency-key-reused', 422],
    ['internal', 500],
    ['unavailable', 503],
    ['timeout', 503],
  ])('answers the service code %s with HTTP %i and a problem type naming the code', (code, status) => {
    const problem = toProblem(new VistaError(code, `went ${code}`), context);
    expect(problem).toMatchObject({ type: `https://vista.dev/problems/${code}`, status, instance: context.instance, correlationId: context.correlationId });
    expect(problem.title.length).toBeGreaterThan(0);
  });

  it('keeps the message of a service error as the detail', () => {
    expect(toProblem(new ConflictError('kit 7 already has a run in progress'), context).detail).toBe('kit 7 already has a run in progress');
    expect(toProblem(new NotFoundError('run r does not exist'), context).detail).toBe('run r does not exist');
  });

  it('lists validation issues as errors with path and message', () => {
    const problem = toProblem(new ValidationError('bad', [{ path: 'params', message: 'params must be an object' }, { message: 'no path' }]), context);
    expect(problem.errors).toEqual([
      { path: 'params', message: 'params must be an object' },
      { path: '', message: 'no path' },
    ]);
  });

  it('leaves errors out when there are no issues', () => {
    expect(toProblem(new ConflictError('busy'), context)).not.toHaveProperty('errors');
  });

  it('does not repeat what an internal service error said', () => {
    expect(toProblem(new VistaError('internal', 'stack: secret at line 3'), context).detail).toBe('the service failed to handle the request');
  });

  it('answers an unknown route as a not-found problem', () => {
    const problem = toProblem(new NotFoundException('Cannot GET /api/v1/nope'), context);
    expect(problem).toMatchObject({ type: 'https://vista.dev/problems/not-found', status: 404, detail: 'no such resource: GET /api/v1/nope' });
  });

  it('answers malformed JSON as an invalid request without echoing the parser', () => {
    const cause = Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), { status: 400, type: 'entity.parse.failed' });
    const problem = toProblem(new BadRequestException(cause.message, { cause }), context);
    expect(problem).toMatchObject({ type: 'https://vista.dev/problems/invalid', status: 400, detail: 'the request body is not valid JSON' });
  });

  it('answers an oversized body with the limit it exceeded', () => {
    const cause = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', limit: 2048, statusCode: 413 });
    const problem = toProblem(new HttpException('request entity too large', 413, { cause }), context);
    expect(problem).toMatchObject({
      type: 'https://vista.dev/problems/payload-too-large',
      status: 413,
      title: 'Payload too large',
      detail: 'the request body is larger than 2048 bytes',
    });
  });

  it('answers an oversized upload as payload-too-large', () => {
    const cause = Object.assign(new Error('File too large'), { code: 'LIMIT_FILE_SIZE', field: 'file' });
    const problem = toProblem(new PayloadTooLargeException('File too large', { cause }), context);
    expect(problem).toMatchObject({ status: 413, detail: 'the uploaded file is larger than the gateway accepts' });
  });

  it('answers the rate limit as rate-limited', () => {
    const problem = toProblem(new HttpException('at most 3 requests per 60 s', 429), context);
    expect(problem).toMatchObject({
      type: 'https://vista.dev/problems/rate-limited',
      status: 429,
      title: 'Too many requests',
      detail: 'at most 3 requests per 60 s',
    });
  });

  it('answers a missing read-model table as unavailable', () => {
    const pgError = Object.assign(new Error('relation "read.kits" does not exist'), { code: '42P01' });
    expect(toProblem(pgError, context)).toMatchObject({ status: 503, type: 'https://vista.dev/problems/unavailable' });
  });

  it('answers a database connection lost under a query as unavailable', () => {
    for (const lost of [
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ]) {
      expect(toProblem(lost, context)).toMatchObject({ status: 503, type: 'https://vista.dev/problems/unavailable' });
    }
  });

  it('answers anything else as an opaque internal error', () => {
    const problem = toProblem(new TypeError("Cannot read properties of undefined (reading 'x')"), { instance: '/api/v1/kits' });
    expect(problem).toEqual({
      type: 'https://vista.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'an unexpected error occurred',
      instance: '/api/v1/kits',
    });
  });
});
