import { describe, expect, it, jest } from '@jest/globals';
import type { MetricsLogRepository } from '../../repositories/metrics-log.repository.js';
import { DescribeMetricsUseCase } from './describe-metrics.use-case.js';

/** A repository answering only what the use case may ask; any other call fails. */
const logHolding = (migrations: string[], events: number) => {
  const log = { appliedMigrations: jest.fn(async () => migrations), eventCount: jest.fn(async () => events) };
  return { log, sut: new DescribeMetricsUseCase({ HTTP_PORT: 4321 }, log as unknown as MetricsLogRepository) };
};

describe('DescribeMetricsUseCase', () => {
  it('answers the service, its schema and port, and the size of its event log', async () => {
    const { log, sut } = logHolding(['2026-11-21T00:00_event-store'], 3);

    await expect(sut.execute({})).resolves.toEqual({ service: 'metrics', schema: 'metrics', httpPort: 4321, events: 3 });
    expect(log.appliedMigrations).not.toHaveBeenCalled();
  });

  it('lists the applied migrations when asked for them', async () => {
    const { sut } = logHolding(['2026-11-21T00:00_event-store'], 0);

    await expect(sut.execute({ withMigrations: true })).resolves.toMatchObject({ events: 0, migrations: ['2026-11-21T00:00_event-store'] });
  });

  it('passes a failure to read the schema on to the caller', async () => {
    const { log, sut } = logHolding([], 0);
    log.eventCount.mockRejectedValueOnce(new Error('relation "metrics.events" does not exist'));

    await expect(sut.execute({})).rejects.toThrow('relation "metrics.events" does not exist');
  });
});
