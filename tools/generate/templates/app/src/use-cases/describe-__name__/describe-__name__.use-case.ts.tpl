import { Inject, Injectable } from '@nestjs/common';
import type { Describe__Name__Result, Describe__Name__V1 } from '@vista/contracts';
import { __NAME___CONFIG, __NAME___SCHEMA, type __Name__Config } from '../../config/__name__.config.js';
import { __Name__LogRepository } from '../../repositories/__name__-log.repository.js';

/** Describe__Name__: the service's name, schema and port, and what its schema holds now. */
@Injectable()
export class Describe__Name__UseCase {
  constructor(
    @Inject(__NAME___CONFIG) private readonly config: Pick<__Name__Config, 'HTTP_PORT'>,
    private readonly log: __Name__LogRepository,
  ) {}

  async execute(command: Describe__Name__V1): Promise<Describe__Name__Result> {
    const answer = { service: '__name__', schema: __NAME___SCHEMA, httpPort: this.config.HTTP_PORT, events: await this.log.eventCount() } as const;
    return command.withMigrations ? { ...answer, migrations: await this.log.appliedMigrations() } : answer;
  }
}
