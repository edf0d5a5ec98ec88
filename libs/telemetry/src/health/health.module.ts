import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { assertUniqueNames, DEFAULT_HEALTH_CHECK_TIMEOUT_MS, type HealthCheck } from './health-check.js';
import { HEALTH_CHECK_TIMEOUT_MS, HEALTH_CHECKS, HealthController } from './health.controller.js';

export interface HealthModuleOptions {
  checks: HealthCheck[];
  /** Per-check time box; 2 s by default. */
  timeoutMs?: number;
}

export interface HealthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  /** Builds the checks from injected dependencies (a pool, a NATS connection...). */
  useFactory: (...deps: any[]) => HealthCheck[] | Promise<HealthCheck[]>;
  timeoutMs?: number;
}

/** Serves `GET /health/live` and `GET /health/ready` over the checks a service supplies. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECKS, useValue: assertUniqueNames(options.checks) },
        { provide: HEALTH_CHECK_TIMEOUT_MS, useValue: options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS },
      ],
    };
  }

  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: options.imports ?? [],
      controllers: [HealthController],
      providers: [
        {
          provide: HEALTH_CHECKS,
          inject: options.inject ?? [],
          useFactory: async (...deps: unknown[]) => assertUniqueNames(await options.useFactory(...deps)),
        },
        { provide: HEALTH_CHECK_TIMEOUT_MS, useValue: options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS },
      ],
    };
  }
}
