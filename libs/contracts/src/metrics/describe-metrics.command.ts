import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Asks the metrics service what it is and what its schema holds. */
export class DescribeMetricsV1 {
  /** Also list the schema's applied migrations. */
  @IsOptional() @IsBoolean() withMigrations?: boolean;
}

export interface DescribeMetricsResult {
  readonly service: 'metrics';
  readonly schema: string;
  readonly httpPort: number;
  /** Events in the service's own log. */
  readonly events: number;
  /** Applied migrations, oldest first (only when asked for). */
  readonly migrations?: string[];
}

export const DescribeMetrics = defineCommand<'DescribeMetrics', DescribeMetricsV1, DescribeMetricsResult>({
  name: 'DescribeMetrics',
  context: 'metrics',
  payload: DescribeMetricsV1,
});
