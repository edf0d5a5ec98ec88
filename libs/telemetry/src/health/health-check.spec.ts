import { describe, expect, it } from '@jest/globals';
import { assertUniqueNames, DuplicateHealthCheckError, runHealthChecks, type HealthCheck } from './health-check.js';

const check = (name: string, run: HealthCheck['check']): HealthCheck => ({ name, check: run });
const passing = (name: string, detail?: Record<string, unknown>) => check(name, async () => (detail ? { ok: true, detail } : { ok: true }));

describe('runHealthChecks', () => {
  it('is ok when every check passes', async () => {
    const report = await runHealthChecks([passing('postgres'), passing('nats', { server: '127.0.0.1:4222' })]);

    expect(report).toEqual({
      status: 'ok',
      checks: { postgres: { ok: true }, nats: { ok: true, detail: { server: '127.0.0.1:4222' } } },
    });
  });

  it('is unavailable when a check reports not ok, keeping its detail', async () => {
    const report = await runHealthChecks([passing('postgres'), check('projector-lag', async () => ({ ok: false, detail: { lagSeconds: 45 } }))]);

    expect(report).toEqual({
      status: 'unavailable',
      checks: { postgres: { ok: true }, 'projector-lag': { ok: false, detail: { lagSeconds: 45 } } },
    });
  });

  it('turns a throwing check into a failed one carrying the error message', async () => {
    const report = await runHealthChecks([check('postgres', () => Promise.reject(new Error('connection refused')))]);

    expect(report).toEqual({ status: 'unavailable', checks: { postgres: { ok: false, error: 'connection refused' } } });
  });

  it('fails a check that does not answer within the time box without waiting for it', async () => {
    const started = Date.now();
    const report = await runHealthChecks([passing('postgres'), check('nats', () => new Promise(() => undefined))], 50);

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report).toEqual({
      status: 'unavailable',
      checks: { postgres: { ok: true }, nats: { ok: false, error: 'timed out after 50 ms' } },
    });
  });

  it('is ok with no checks at all', async () => {
    expect(await runHealthChecks([])).toEqual({ status: 'ok', checks: {} });
  });
});

describe('assertUniqueNames', () => {
  it('refuses two checks under one name', () => {
    expect(() => assertUniqueNames([passing('postgres'), passing('postgres')])).toThrow(DuplicateHealthCheckError);
  });
});
