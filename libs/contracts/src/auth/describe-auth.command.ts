import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Asks the auth service what it is and what its schema holds. */
export class DescribeAuthV1 {
  /** Also list the schema's applied migrations. */
  @IsOptional() @IsBoolean() withMigrations?: boolean;
}

export interface DescribeAuthResult {
  readonly service: 'auth';
  readonly schema: string;
  readonly httpPort: number;
  /** Events in the service's own log. */
  readonly events: number;
  /** Applied migrations, oldest first (only when asked for). */
  readonly migrations?: string[];
}

export const DescribeAuth = defineCommand<'DescribeAuth', DescribeAuthV1, DescribeAuthResult>({
  name: 'DescribeAuth',
  context: 'auth',
  payload: DescribeAuthV1,
});
