import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Asks the lot-tracking service what it is and what its schema holds. */
export class DescribeLotTrackingV1 {
  /** Also list the schema's applied migrations. */
  @IsOptional() @IsBoolean() withMigrations?: boolean;
}

export interface DescribeLotTrackingResult {
  readonly service: 'lot-tracking';
  readonly schema: string;
  readonly httpPort: number;
  /** Events in the service's own log. */
  readonly events: number;
  /** Applied migrations, oldest first (only when asked for). */
  readonly migrations?: string[];
}

export const DescribeLotTracking = defineCommand<'DescribeLotTracking', DescribeLotTrackingV1, DescribeLotTrackingResult>({
  name: 'DescribeLotTracking',
  context: 'lot-tracking',
  payload: DescribeLotTrackingV1,
});
