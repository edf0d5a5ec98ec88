import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { AUTH_CONFIG, AUTH_SCHEMA, type AuthConfig } from './config/auth.config.js';
import { AuthCommands } from './controllers/auth.commands.js';
import { JwksController } from './controllers/jwks.controller.js';
import { AuthEventsRepository } from './repositories/auth-events.repository.js';
import { AuthLogRepository } from './repositories/auth-log.repository.js';
import { AuthSecretsRepository } from './repositories/auth-secrets.repository.js';
import { ModelRegistryRepository } from './repositories/model-registry.repository.js';
import { SsoClient } from './sso/sso-client.js';
import { TokenSigner, loadSigningKey } from './tokens/token-signer.js';
import { AsOfUseCase } from './use-cases/answer-as-of/as-of.use-case.js';
import { DescribeAuthUseCase } from './use-cases/describe-auth/describe-auth.use-case.js';
import { UsersUseCase } from './use-cases/manage-users/users.use-case.js';
import { ModelAccessUseCase } from './use-cases/request-model-access/model-access.use-case.js';
import { RolesUseCase } from './use-cases/request-role/roles.use-case.js';
import { SetUpModelUseCase } from './use-cases/set-up-model/set-up-model.use-case.js';
import { SessionsUseCase } from './use-cases/start-session/sessions.use-case.js';

@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [ServiceInfrastructureModule.forRoot({ name: 'auth', schema: AUTH_SCHEMA, config })],
      controllers: [AuthCommands, JwksController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        {
          provide: TokenSigner,
          useFactory: async () => new TokenSigner(await loadSigningKey(config.AUTH_SIGNING_KEY), config.AUTH_ISSUER, config.ACCESS_TOKEN_TTL_SECONDS),
        },
        {
          provide: SsoClient,
          useValue: new SsoClient({
            issuer: config.SSO_ISSUER,
            clientId: config.SSO_CLIENT_ID,
            clientSecret: config.SSO_CLIENT_SECRET,
            redirectUri: config.SSO_REDIRECT_URI,
          }),
        },
        AuthLogRepository,
        AuthEventsRepository,
        AuthSecretsRepository,
        ModelRegistryRepository,
        DescribeAuthUseCase,
        SessionsUseCase,
        UsersUseCase,
        RolesUseCase,
        SetUpModelUseCase,
        ModelAccessUseCase,
        AsOfUseCase,
      ],
    };
  }
}
