import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { type AccessTokenCheck, AccessTokenVerifier, type IdentityVariables } from './access-token.verifier.js';
import { ServiceTokenIssuer, parseServiceKey } from './service-token.js';

export interface IdentityModuleOptions {
  readonly env: IdentityVariables;
  /** The service's name: with SERVICE_SIGNING_KEY set, it signs its own commands as `service:<name>`. */
  readonly serviceName?: string;
  readonly checks?: readonly AccessTokenCheck[];
  /** Installs AccessGuard as the global guard of every HTTP route (deny by default). */
  readonly guardRoutes?: boolean;
}

/** Injection token of the service's ServiceTokenIssuer, or null without SERVICE_SIGNING_KEY. */
export const SERVICE_TOKENS = Symbol('SERVICE_TOKENS');

/** Provides the AccessTokenVerifier, the service's token issuer and, for HTTP services, the global AccessGuard. */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(options: IdentityModuleOptions): DynamicModule {
    const issuer =
      options.serviceName && options.env.SERVICE_SIGNING_KEY
        ? new ServiceTokenIssuer(options.serviceName, parseServiceKey(options.env.SERVICE_SIGNING_KEY))
        : null;
    return {
      module: IdentityModule,
      providers: [
        { provide: AccessTokenVerifier, useValue: AccessTokenVerifier.fromEnvironment(options.env, { checks: options.checks }) },
        { provide: SERVICE_TOKENS, useValue: issuer },
        ...(options.guardRoutes ? [{ provide: APP_GUARD, useClass: AccessGuard }] : []),
      ],
      exports: [AccessTokenVerifier, SERVICE_TOKENS],
    };
  }
}
