import { Module, type DynamicModule } from '@nestjs/common';
import { configureMetrics } from './metrics.js';
import { MetricsController } from './metrics.controller.js';

export interface MetricsModuleOptions {
  serviceName: string;
}

/** Serves `GET /metrics` from the process registry, labelled with the service name. */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    configureMetrics(options.serviceName);
    return { module: MetricsModule, controllers: [MetricsController] };
  }
}
