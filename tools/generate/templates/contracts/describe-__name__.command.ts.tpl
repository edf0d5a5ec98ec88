import { IsBoolean, IsOptional } from 'class-validator';
import { defineCommand } from '../define-command.js';

/** Asks the __name__ service what it is and what its schema holds. */
export class Describe__Name__V1 {
  /** Also list the schema's applied migrations. */
  @IsOptional() @IsBoolean() withMigrations?: boolean;
}

export interface Describe__Name__Result {
  readonly service: '__name__';
  readonly schema: string;
  readonly httpPort: number;
  /** Events in the service's own log. */
  readonly events: number;
  /** Applied migrations, oldest first (only when asked for). */
  readonly migrations?: string[];
}

export const Describe__Name__ = defineCommand<'Describe__Name__', Describe__Name__V1, Describe__Name__Result>({
  name: 'Describe__Name__',
  context: '__name__',
  payload: Describe__Name__V1,
});
