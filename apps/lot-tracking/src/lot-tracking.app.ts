import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isBusinessDate } from '@vista/contracts';
import { createServiceApp, migrateService, runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { LotTrackingModule } from './app.module.js';
import { LOT_TRACKING_SCHEMA, type LotTrackingConfig } from './config/lot-tracking.config.js';
import { utcDate } from './domain/batch-inputs.js';
import { lotTrackingMigrations } from './migrations/lot-tracking.migrations.js';
import { RunLotBatchUseCase } from './use-cases/run-lot-batch/run-lot-batch.use-case.js';

/** Migrates the lot-tracking schema; then runs the service, or (`batch [--date=YYYY-MM-DD]`) one daily batch now. */
export function runLotTracking(config: LotTrackingConfig, tracing: TracingHandle, command?: string, args: string[] = []): Promise<void> {
  if (command === 'batch') return batchOnce(config, tracing, args);
  return runService({
    name: 'lot-tracking',
    schema: LOT_TRACKING_SCHEMA,
    migrations: lotTrackingMigrations(LOT_TRACKING_SCHEMA),
    module: LotTrackingModule.forRoot(config),
    config,
    tracing,
    command,
  });
}

/**
 * `batch [--date=YYYY-MM-DD]` (default: today, UTC): the daily batch for that business date, as the
 * schedule runs it, printed as JSON. Exit 0 when it published or found no change, 1 when it failed
 * (recorded all the same), 2 when it could not run (bad arguments, a batch already running, no Postgres).
 */
async function batchOnce(config: LotTrackingConfig, tracing: TracingHandle, args: string[]): Promise<void> {
  try {
    const { values } = parseArgs({ args, options: { date: { type: 'string' } }, strict: true });
    const businessDate = values.date ?? utcDate(new Date());
    if (!isBusinessDate(businessDate)) throw new Error(`--date=${businessDate}: expected a calendar date YYYY-MM-DD`);
    await migrateService({ name: 'lot-tracking', schema: LOT_TRACKING_SCHEMA, migrations: lotTrackingMigrations(LOT_TRACKING_SCHEMA), config });
    const app = await createServiceApp({
      name: 'lot-tracking',
      module: LotTrackingModule.forRoot(config, { schedule: false }),
      config,
      commandServer: false,
    });
    await app.init();
    try {
      const result = await app
        .get(RunLotBatchUseCase)
        .execute({ businessDate, trigger: 'manual', actor: 'service:lot-tracking-cli', correlationId: randomUUID() });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exitCode = result.status === 'failed' ? 1 : 0;
    } finally {
      await app.close();
    }
  } catch (error) {
    process.stderr.write(`lot-tracking batch: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } finally {
    await tracing.shutdown().catch(() => undefined);
  }
}
