import { Inject, Injectable } from '@nestjs/common';
import type { DescribeAuthResult, DescribeAuthV1 } from '@vista/contracts';
import { AUTH_CONFIG, AUTH_SCHEMA, type AuthConfig } from '../../config/auth.config.js';
import { AuthLogRepository } from '../../repositories/auth-log.repository.js';

/** DescribeAuth: the service's name, schema and port, and what its schema holds now. */
@Injectable()
export class DescribeAuthUseCase {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: Pick<AuthConfig, 'HTTP_PORT'>,
    private readonly log: AuthLogRepository,
  ) {}

  async execute(command: DescribeAuthV1): Promise<DescribeAuthResult> {
    const answer = { service: 'auth', schema: AUTH_SCHEMA, httpPort: this.config.HTTP_PORT, events: await this.log.eventCount() } as const;
    return command.withMigrations ? { ...answer, migrations: await this.log.appliedMigrations() } : answer;
  }
}
