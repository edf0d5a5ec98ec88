import { runService } from '@vista/service-host';
import type { TracingHandle } from '@vista/telemetry/tracing';
import { __Name__Module } from './app.module.js';
import { __NAME___SCHEMA, type __Name__Config } from './config/__name__.config.js';
import { __camel__Migrations } from './migrations/__name__.migrations.js';

/** Migrates the __name__ schema; then (unless only migrating) runs the service. */
export function run__Name__(config: __Name__Config, tracing: TracingHandle, command?: string): Promise<void> {
  return runService({
    name: '__name__',
    schema: __NAME___SCHEMA,
    migrations: __camel__Migrations(__NAME___SCHEMA),
    module: __Name__Module.forRoot(config),
    config,
    tracing,
    command,
  });
}
