import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { CollectLatencyMetricsV1, validateAs } from '@vista/contracts';
import { createServiceApp, migrateService, runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { MetricsModule } from './app.module.js';
import { METRICS_SCHEMA, type MetricsConfig } from './config/metrics.config.js';
import { metricsMigrations } from './migrations/metrics.migrations.js';
import { CollectLatencyMetricsUseCase } from './use-cases/collect-latency-metrics/collect-latency-metrics.use-case.js';

/** Migrates the metrics schema; then runs the service, or (`collect`) one latency collection now. */
export function runMetrics(config: MetricsConfig, tracing: TracingHandle, command?: string, args: string[] = []): Promise<void> {
  if (command === 'collect') return collectOnce(config, tracing, args);
  return runService({
    name: 'metrics',
    schema: METRICS_SCHEMA,
    migrations: metricsMigrations(METRICS_SCHEMA),
    module: MetricsModule.forRoot(config),
    config,
    tracing,
    command,
  });
}

/**
 * `collect [--prometheus-url URL] [--metric NAME]`: one collection, as the schedule runs it, printed
 * as JSON; exits 1 when it failed (the failure is recorded all the same).
 */
async function collectOnce(config: MetricsConfig, tracing: TracingHandle, args: string[]): Promise<void> {
  try {
    const { values } = parseArgs({ args, options: { 'prometheus-url': { type: 'string' }, metric: { type: 'string' } }, strict: true });
    const request = validateAs(CollectLatencyMetricsV1, { prometheusUrl: values['prometheus-url'], metricName: values.metric }, 'collect', {});
    const migrations = metricsMigrations(METRICS_SCHEMA);
    await migrateService({ name: 'metrics', schema: METRICS_SCHEMA, migrations, config });
    const app = await createServiceApp({ name: 'metrics', module: MetricsModule.forRoot(config, { schedule: false }), config, commandServer: false });
    await app.init();
    try {
      const result = await app
        .get(CollectLatencyMetricsUseCase)
        .execute({ ...request, trigger: 'manual', actor: 'service:metrics-cli', correlationId: randomUUID() });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exitCode = result.status === 'succeeded' ? 0 : 1;
    } finally {
      await app.close();
    }
  } catch (error) {
    process.stderr.write(`metrics collect: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } finally {
    await tracing.shutdown().catch(() => undefined);
  }
}
